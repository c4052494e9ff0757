/** The Embedding refresh pipeline section's tables: cost per million documents side by side, and the simulated day against the SLO. */
import type { Cloud } from '../../constructs';
import type { ComparisonReport, PipelineCloudFigures } from './comparison-report';
import { usd, type ReportTable } from './report-sections';

const CLOUDS: readonly Cloud[] = ['aws', 'gcp'];
const CLOUD_NAME: Record<Cloud, string> = { aws: 'AWS', gcp: 'GCP' };

export function pipelineCostTable(report: ComparisonReport): ReportTable | undefined {
  const p = report.pipeline;
  if (!p) return undefined;
  const row = (label: string, value: (c: PipelineCloudFigures, cloud: Cloud) => string) => [label, ...CLOUDS.map((cloud) => value(p.clouds[cloud], cloud))];
  const cost = (c: PipelineCloudFigures) => c.costPerMillionDocuments;
  const notes = (cloud: Cloud) => p.parity.filter((n) => n.cloud === cloud).map((n) => `${n.realisedAs} (${n.reason})`);
  return {
    id: 'pipeline-cost',
    title: 'Embedding refresh pipeline: cost per million documents',
    provenance: 'price list',
    note:
      `The worker's invocations, compute and queue requests (load-tests/cost/pipeline-cost.ts) at the invocations and compute the simulated ${p.profile.name} day needed ` +
      `(${p.documents.toLocaleString('en-US')} documents, batch ${p.settings.batchSize}, concurrency ${p.settings.concurrency}, ${p.settings.memoryMiB} MiB). ` +
      'The price band takes every unverified price at the low and the high end of its range; the second band also reruns the day with every unverified assumption at the end that favours the cloud and the end that disfavours it (the pipeline.* values below). Free tiers are not deducted; the embedder and the vector store are costed with the topology above.',
    header: ['', ...CLOUDS.map((cloud) => `${CLOUD_NAME[cloud]} (${p.clouds[cloud].region})`)],
    rows: [
      row('worker', (c) => c.workers.host),
      row('cost per million documents', (c) => (cost(c) ? usd(cost(c)!.usdPerMillionDocuments) : `n/a (no prices for ${c.region})`)),
      row('low – high (prices)', (c) => (cost(c) ? `${usd(cost(c)!.lowUsd)} – ${usd(cost(c)!.highUsd)}` : '')),
      row('low – high (prices and assumptions)', (c) => `${usd(c.band.low.usdPerMillionDocuments)} – ${usd(c.band.high.usdPerMillionDocuments)}`),
      row(`the simulated day (${p.documents.toLocaleString('en-US')} documents)`, (c) => (c.costForRunUsd ? `${usd(c.costForRunUsd.usd, 4)} (${usd(c.costForRunUsd.low, 4)} – ${usd(c.costForRunUsd.high, 4)})` : 'n/a')),
      row('parts, per million documents', (c) => (cost(c) ? Object.entries(cost(c)!.parts).map(([part, value]) => `${part} ${usd(value, 4)}`).join('; ') : '')),
      row('basis', (c) => cost(c)?.basis ?? ''),
      row('prices', (c) =>
        cost(c)
          ? Object.entries(cost(c)!.partPrices)
              .map(([part, price]) => `${part}: $${price.usd} per ${price.unit} [${price.tag}] ${price.source} (${price.checkedOn})`)
              .join('; ')
          : '',
      ),
      row('parity', (_c, cloud) => (notes(cloud).length === 0 ? 'as written' : notes(cloud).join('; '))),
    ],
  };
}

export function pipelineFreshnessTable(report: ComparisonReport): ReportTable | undefined {
  const p = report.pipeline;
  if (!p) return undefined;
  const seconds = (value: number | null) => (value === null ? '-' : value < 10 ? value.toFixed(2) : value.toFixed(0));
  return {
    id: 'pipeline-freshness',
    title: `Embedding refresh pipeline: the simulated day against its SLO (${p.sloSeconds} s from enqueue to searchable)`,
    provenance: 'simulated',
    note:
      `${p.documents.toLocaleString('en-US')} documents (${p.documentsPerDaySource} ${p.documentsPerDay.toLocaleString('en-US')}) in the shape of the ${p.profile.name} profile, seed ${p.profile.seed}, the same on both clouds. ` +
      'A handling embeds, writes and waits until the write is searchable; ' +
      p.assumptions.map((a) => `${a.name}${a.cloud === 'both' ? '' : ` (${a.cloud})`} ${a.value} ${a.unit} [${a.tag}]`).join(', ') +
      '. SLO minutes: minutes in which a document became searchable later than the SLO. Cold starts, retries and the embedder\'s queueing are not modelled.',
    header: ['cloud', 'workers', 'invocations', 'documents each', 'handling s', 'fresh p50 s', 'fresh p99 s', 'fresh max s', 'over SLO', 'SLO min', 'peak backlog', 'p99 s, SLO min (low – high)'],
    rows: CLOUDS.map((cloud) => {
      const c = p.clouds[cloud];
      return [
        CLOUD_NAME[cloud],
        `${c.workers.instances} × ${c.workers.requestsPerInstance} at once, up to ${c.workers.messagesPerInvocation} message${c.workers.messagesPerInvocation === 1 ? '' : 's'} each`,
        c.invocations.toLocaleString('en-US'),
        c.documentsPerInvocation.toFixed(2),
        seconds(c.workers.handlingSeconds.total),
        seconds(c.freshnessSeconds.p50),
        seconds(c.freshnessSeconds.p99),
        seconds(c.freshnessSeconds.max),
        c.overSloDocuments.toLocaleString('en-US'),
        `${c.sloViolationMinutes}`,
        c.peakBacklog.toLocaleString('en-US'),
        `${seconds(c.band.low.freshnessP99Seconds)} s, ${c.band.low.sloViolationMinutes} – ${seconds(c.band.high.freshnessP99Seconds)} s, ${c.band.high.sloViolationMinutes}`,
      ];
    }),
  };
}
