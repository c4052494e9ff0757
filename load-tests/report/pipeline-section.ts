/** report.json's `pipeline`: the embedding-refresh pipeline's simulated day on both clouds, with the topology's parity notes on it. */
import type { ParityNote } from '../../constructs';
import type { PipelineSimulation } from '../simulator/pipeline-simulation-result';
import type { PipelineCloudFigures, PipelineSection } from './comparison-report';

export function pipelineSection(simulation: PipelineSimulation, parity: readonly ParityNote[], profile: PipelineSection['profile']): PipelineSection {
  const figures = (cloud: 'aws' | 'gcp'): PipelineCloudFigures => {
    const c = simulation.clouds[cloud];
    // The comparison simulates both clouds.
    if (!c) throw new Error(`the pipeline section needs a simulated day on both clouds; ${cloud} is missing`);
    const { series: _series, ...rest } = c;
    return rest;
  };
  return {
    profile,
    documentsPerDay: simulation.documentsPerDay,
    documentsPerDaySource: simulation.documentsPerDaySource,
    documents: simulation.documents,
    sloSeconds: simulation.sloSeconds,
    settings: simulation.settings,
    clouds: { aws: figures('aws'), gcp: figures('gcp') },
    parity: parity.filter((n) => n.path.startsWith('pipelines.')),
    assumptions: simulation.assumptions,
  };
}
