/**
 * `serving-stacks tune-index`: sweeps the vector store's search-time knobs on the local index
 * (load-tests/vector-store/tune-index.ts) over the news corpus (generated in memory, or read with
 * --corpus), prints recall against latency per engine, recommends the cheapest setting meeting
 * --recall and the topology's vectorStore.slo.p99Ms, and with --write puts it into the topology file.
 */
import type { Command } from 'commander';
import { resolveTopology } from '../../constructs';
import { generateCorpus, readTuningCorpus, tuningCorpusOf } from '../../load-tests/corpus';
import { engineCurve, LOCAL_INDEX_NOTE, tuneVectorStore, type EngineCurve, type IndexTuning, type TuningCorpus } from '../../load-tests/vector-store';
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
  readonly corpus?: string;
  readonly json?: boolean;
  readonly write?: boolean;
}

const DEFAULT_RECALL = 0.95;
/** The corpus command's default seed, so `tune-index` measures the corpus `corpus --documents N` writes. */
const DEFAULT_SEED = 1;
export function registerTuneIndex(program: Command): void {
  addTopologyOptions(
    program
      .command('tune-index')
      .description(
        "sweep the vector store's search-time knobs (HNSW efSearch for OpenSearch and pgvector, percent of tree-AH leaves for Vertex) " +
          "on the local index over the news corpus (generated, or --corpus DIR); print recall@k and p50/p99 latency per setting and recommend the smallest setting meeting --recall and vectorStore.slo.p99Ms",
      ),
  )
    .addOption(numberOption('--recall <fraction>', 'recall@k the recommended setting must reach', { above: 0, max: 1 }).default(DEFAULT_RECALL))
    .addOption(numberOption('--k <n>', 'neighbours per query (with --corpus, at most its ground truth\'s k)', { integer: true, min: 1, max: 1000 }).default(10))
    .addOption(numberOption('--documents <n>', 'news documents generated and loaded into each local index', { integer: true, min: 100, max: 1_000_000 }).default(10_000).conflicts('corpus'))
    .addOption(numberOption('--queries <n>', 'queries generated, each timed at every setting', { ...POSITIVE, integer: true, max: 100_000 }).default(200).conflicts('corpus'))
    .addOption(seedOption('seed of the generated news corpus (as `serving-stacks corpus --seed`)', DEFAULT_SEED).conflicts('corpus'))
    .option('--corpus <dir>', 'sweep on a corpus written by `serving-stacks corpus --out DIR` (its documents, queries and exact ground truth) instead of generating one')
    .option('--json', 'print the curves and recommendations as JSON')
    .option('--write', 'write the recommended settings into the topology file (needs --topology <file>)')
    .action((flags: TuneIndexFlags) => {
      if (flags.write && !flags.topology) {
        throw new UsageError('--write: needs --topology <file>; a preset (--env) is built in and cannot be written, so copy it to a file first');
      }
      const topology = selectTopology(flags);
      const store = resolveTopology(topology).vectorStore;
      if (!store) throw new UsageError(`${flags.topology ?? `preset ${topology.environment}`}: has no vectorStore, so there is no index to tune`);
      const progress = (message: string) => process.stderr.write(`tune-index: ${message}…\n`);

      let corpus: TuningCorpus;
      if (flags.corpus === undefined) {
        if (flags.k > flags.documents) throw new UsageError(`--k: expected at most --documents (${flags.documents}), got "${flags.k}"`);
        progress(`generating ${flags.documents} news documents and ${flags.queries} queries with their exact top ${flags.k}`);
        corpus = tuningCorpusOf(generateCorpus({ documents: flags.documents, queries: flags.queries, k: flags.k, seed: flags.seed, dimensions: store.dimensions, metric: store.metric }));
      } else {
        corpus = readTuningCorpus(flags.corpus, (message) => new UsageError(message));
        const problems = [
          corpus.dimensions !== store.dimensions && `its vectors have ${corpus.dimensions} dimensions, vectorStore.dimensions is ${store.dimensions}`,
          corpus.metric !== store.metric && `its ground truth is ranked by ${corpus.metric}, vectorStore.metric is ${store.metric}`,
        ].filter((p): p is string => typeof p === 'string');
        if (problems.length > 0) throw new UsageError(`--corpus ${flags.corpus}: ${problems.join('; ')}; write one for this topology with \`serving-stacks corpus\``);
        const shortest = Math.min(...corpus.groundTruth.map((ids) => ids.length));
        if (flags.k > shortest) throw new UsageError(`--k: expected at most the corpus's ground-truth k (${shortest}), got "${flags.k}"`);
      }

      const p99TargetMs = store.slo?.p99Ms;
      const target = { targetRecall: flags.recall, p99TargetMs, k: flags.k };
      const tunings = tuneVectorStore(store, corpus, { ...target, onProgress: progress });
      const curves = tunings.map((t) => engineCurve(t, target));
      const corpusLine = flags.corpus === undefined
        ? `${corpus.documents.length} generated news documents (seed ${flags.seed}, as \`serving-stacks corpus\` writes them)`
        : `the corpus in ${flags.corpus} (${corpus.documents.length} news documents)`;
      const written = flags.write && flags.topology ? writeRecommendations(flags.topology, tunings) : undefined;

      if (flags.json) {
        process.stdout.write(
          `${JSON.stringify(
            {
              topology: { name: topology.name, environment: topology.environment, source: flags.topology ?? `preset ${topology.environment}` },
              note: LOCAL_INDEX_NOTE,
              corpus: {
                source: flags.corpus ?? 'generated',
                ...(flags.corpus === undefined && { seed: flags.seed }),
                documents: corpus.documents.length,
                queries: corpus.queries.length,
                dimensions: corpus.dimensions,
                metric: corpus.metric,
              },
              target: { recall: flags.recall, k: flags.k, p99Ms: p99TargetMs ?? null },
              engines: curves,
              ...(written && { written }),
            },
            null,
            2,
          )}\n`,
        );
      } else {
        const lines = [
          `tune-index: ${topology.name}/${topology.environment}, ${store.engine} vector store, ${corpusLine}, ${store.dimensions}-d (${store.metric}), ` +
            `${corpus.queries.length} queries, target recall@${flags.k} ${flags.recall}` +
            (p99TargetMs === undefined ? ' (no vectorStore.slo.p99Ms: recall alone decides)' : ` and p99 <= ${p99TargetMs} ms (vectorStore.slo.p99Ms, measured on the local index)`),
          LOCAL_INDEX_NOTE,
          ...tunings.map((t, i) => describeTuning(t, curves[i], flags)),
        ];
        process.stdout.write(`${lines.join('\n\n')}\n`);
        if (written) process.stdout.write(`wrote ${Object.entries(written).map(([knob, value]) => `vectorStore.index.${knob}: ${value}`).join(', ')} to ${flags.topology}\n`);
      }
      if (curves.some((c) => c.recommended === null)) process.exitCode = EXIT.thresholdsFailed;
    });
}

/** Writes each recommended knob into the file; returns what it wrote, nothing when no engine has a recommendation. */
function writeRecommendations(file: string, tunings: readonly IndexTuning[]): Record<string, number> | undefined {
  const values = new Map(tunings.flatMap((t) => (t.recommended ? [[t.knob, t.recommended.value] as const] : [])));
  if (values.size === 0) return undefined;
  setTopologyFileValues(
    file,
    [...values].map(([knob, value]) => [['vectorStore', 'index', knob], value] as const),
  );
  return Object.fromEntries(values);
}

function describeTuning(tuning: IndexTuning, curve: EngineCurve, flags: TuneIndexFlags): string {
  const rows = tuning.points.map(({ value, measurement: m }) => [
    `${value}${value === tuning.current ? ' (topology)' : ''}${value === tuning.recommended?.value ? ' ← recommended' : ''}`,
    m.recall.toFixed(3),
    m.latencyMs.p50.toFixed(2),
    m.latencyMs.p99.toFixed(2),
    m.queriesPerSecond.toFixed(0),
  ]);
  const verdict = tuning.recommended
    ? `recommended ${tuning.knob} ${tuning.recommended.value}: recall@${flags.k} ${tuning.recommended.measurement.recall.toFixed(3)} >= ${flags.recall}, p99 ${tuning.recommended.measurement.latencyMs.p99.toFixed(2)} ms (topology has ${tuning.current})`
    : (curve.unmet ?? '');
  return [
    `${tuning.engine}: ${tuning.kind}, sweeping ${tuning.knob}${tuning.leaves === undefined ? '' : ` (${tuning.leaves} leaves: a percent searches whole leaves, rounded up)`}`,
    formatTable([tuning.knob, `recall@${flags.k}`, 'p50 ms', 'p99 ms', 'q/s'], rows),
    verdict,
  ].join('\n');
}
