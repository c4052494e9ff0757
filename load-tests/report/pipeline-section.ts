/** report.json's `pipeline`: the embedding-refresh pipeline's simulated day on both clouds, its sensitivity band, and the topology's parity notes on it. */
import type { Cloud, ParityNote } from '../../constructs';
import type { SensitivityCase } from '../../constructs/assumptions';
import type { PipelineSimulation } from '../simulator/pipeline-simulation-result';
import type { PipelineCaseFigures, PipelineCloudFigures, PipelineSection } from './comparison-report';

export function pipelineSection(days: Readonly<Record<SensitivityCase, PipelineSimulation>>, parity: readonly ParityNote[], profile: PipelineSection['profile']): PipelineSection {
  const simulation = days.base;
  const of = (day: PipelineSimulation, cloud: Cloud) => {
    const c = day.clouds[cloud];
    // The comparison simulates both clouds.
    if (!c) throw new Error(`the pipeline section needs a simulated day on both clouds; ${cloud} is missing`);
    return c;
  };
  const caseFigures = (c: 'low' | 'high', cloud: Cloud): PipelineCaseFigures => {
    const day = of(days[c], cloud);
    const cost = day.costPerMillionDocuments;
    return {
      usdPerMillionDocuments: cost ? (c === 'low' ? cost.lowUsd : cost.highUsd) : null,
      freshnessP99Seconds: day.freshnessSeconds.p99,
      sloViolationMinutes: day.sloViolationMinutes,
      peakBacklog: day.peakBacklog,
    };
  };
  const figures = (cloud: Cloud): PipelineCloudFigures => {
    const { series: _series, ...rest } = of(simulation, cloud);
    return { ...rest, band: { low: caseFigures('low', cloud), high: caseFigures('high', cloud) } };
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
