/**
 * `serving-stacks tune-index`: sweeps the vector store's search-time knobs on the local index
 * (load-tests/vector-store/tune-index.ts), prints recall against latency per engine, recommends
 * the smallest setting meeting --recall, and with --write puts it into the topology file.
 */
import type { Command } from 'commander';
import { resolveTopology } from '../../constructs';
import { tuneVectorStore, type IndexTuning } from '../../load-tests/vector-store';
import { EXIT } from '../exit-codes';
import { formatTable } from '../format-table';
import { numberOption, POSITIVE } from '../options/number';
import { seedOption } from '../options/seed';
import { addTopologyOptions, selectTopology, type TopologySelection } from '../options/topology';
import { UsageError } from '../options/usage-error';
import { setTopologyFileValues } from '../topology-file-values';

interface TuneIndexFlags extends TopologySelection {
  readonly recall: number;
  readonly k: number;
  readonly documents: number;
  readonly queries: number;
  readonly seed: number;
  readonly write?: boolean;
}

const DEFAULT_RECALL = 0.95;
const DEFAULT_SEED = 42;

export function registerTuneIndex(program: Command): void {
  addTopologyOptions(
    program
      .command('tune-index')
      .description(
        "sweep the vector store's search-time knobs (HNSW efSearch for OpenSearch and pgvector, percent of tree-AH leaves for Vertex) " +
          'on the local index over synthetic topic-clustered vectors; print recall@k and latency per setting and recommend the smallest setting meeting --recall',
      ),
  )
    .addOption(numberOption('--recall <fraction>', 'recall@k the recommended setting must reach', { above: 0, max: 1 }).default(DEFAULT_RECALL))
    .addOption(numberOption('--k <n>', 'neighbours per query', { integer: true, min: 1, max: 1000 }).default(10))
    .addOption(numberOption('--documents <n>', 'vectors loaded into each local index', { integer: true, min: 100, max: 1_000_000 }).default(10_000))
    .addOption(numberOption('--queries <n>', 'queries per setting', { ...POSITIVE, integer: true, max: 100_000 }).default(200))
    .addOption(seedOption('random seed of the synthetic vectors', DEFAULT_SEED))
    .option('--write', 'write the recommended settings into the topology file (needs --topology <file>)')
    .action((flags: TuneIndexFlags) => {
      if (flags.write && !flags.topology) {
        throw new UsageError('--write: needs --topology <file>; a preset (--env) is built in and cannot be written, so copy it to a file first');
      }
      const topology = selectTopology(flags);
      const store = resolveTopology(topology).vectorStore;
      if (!store) throw new UsageError(`${flags.topology ?? `preset ${topology.environment}`}: has no vectorStore, so there is no index to tune`);

      const tunings = tuneVectorStore(store, {
        targetRecall: flags.recall,
        k: flags.k,
        documents: flags.documents,
        queries: flags.queries,
        seed: flags.seed,
        onProgress: (message) => process.stderr.write(`tune-index: ${message}…\n`),
      });
      const lines = [
        `tune-index: ${topology.name}/${topology.environment}, ${store.engine} vector store, ${flags.documents} synthetic topic-clustered ${store.dimensions}-d vectors (${store.metric}), ` +
          `${flags.queries} queries, target recall@${flags.k} ${flags.recall}`,
        "Local indexes, not the clouds' engines: check the recommended setting against the deployed index.",
        ...tunings.map((t) => describeTuning(t, flags)),
      ];
      process.stdout.write(`${lines.join('\n\n')}\n`);

      const met = tunings.filter((t) => t.recommended);
      if (flags.write && flags.topology && met.length > 0) {
        const values = [...new Map(met.map((t) => [t.knob, t.recommended?.value as number])).entries()];
        setTopologyFileValues(
          flags.topology,
          values.map(([knob, value]) => [['vectorStore', 'index', knob], value] as const),
        );
        process.stdout.write(`wrote ${values.map(([knob, value]) => `vectorStore.index.${knob}: ${value}`).join(', ')} to ${flags.topology}\n`);
      }
      if (met.length < tunings.length) process.exitCode = EXIT.thresholdsFailed;
    });
}

function describeTuning(tuning: IndexTuning, flags: TuneIndexFlags): string {
  const rows = tuning.points.map(({ value, measurement: m }) => [
    `${value}${value === tuning.current ? ' (topology)' : ''}${value === tuning.recommended?.value ? ' ← recommended' : ''}`,
    m.recall.toFixed(3),
    m.latencyMs.p50.toFixed(2),
    m.latencyMs.p99.toFixed(2),
    m.queriesPerSecond.toFixed(0),
  ]);
  const verdict = tuning.recommended
    ? `recommended ${tuning.knob} ${tuning.recommended.value}: recall@${flags.k} ${tuning.recommended.measurement.recall.toFixed(3)} >= ${flags.recall}, p99 ${tuning.recommended.measurement.latencyMs.p99.toFixed(2)} ms (topology has ${tuning.current})`
    : `no ${tuning.knob} in the sweep reaches recall@${flags.k} ${flags.recall}; the best is ${Math.max(...tuning.points.map((p) => p.measurement.recall)).toFixed(3)}`;
  return [
    `${tuning.engine}: ${tuning.kind}, sweeping ${tuning.knob}${tuning.leaves === undefined ? '' : ` (${tuning.leaves} leaves: a percent searches whole leaves, rounded up)`}`,
    formatTable([tuning.knob, `recall@${flags.k}`, 'p50 ms', 'p99 ms', 'q/s'], rows),
    verdict,
  ].join('\n');
}
