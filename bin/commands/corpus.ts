import type { Command } from 'commander';
import { resolveTopology } from '../../constructs';
import { corpusLoadersFor, generateCorpus, MAX_CORPUS_DOCUMENTS, writeCorpus } from '../../load-tests/corpus';
import { numberOption } from '../options/number';
import { seedOption } from '../options/seed';
import { addTopologyOptions, selectTopology, type TopologySelection } from '../options/topology';
import { UsageError } from '../options/usage-error';

interface CorpusCommandOptions extends TopologySelection {
  documents: number;
  out: string;
  queries: number;
  k: number;
  seed: number;
  load?: string;
}

export function registerCorpus(program: Command): void {
  addTopologyOptions(
    program
      .command('corpus')
      .description(
        "write a reproducible news corpus for retrieval: documents embedded by the bundled embedder (the topology's vectorStore dimensions and metric) and paraphrase queries with exact top-k ground truth; --load puts it into a running emulate's vector store",
      ),
  )
    .addOption(numberOption('--documents <n>', 'documents to generate', { integer: true, min: 1, max: MAX_CORPUS_DOCUMENTS }).makeOptionMandatory())
    .requiredOption('--out <dir>', 'directory for documents.jsonl, queries.jsonl and corpus.json (created if missing; those files are replaced)')
    .addOption(numberOption('--queries <n>', 'queries to generate, each with its exact top-k', { integer: true, min: 0, max: MAX_CORPUS_DOCUMENTS }).default(100))
    .addOption(numberOption('--k <n>', 'nearest documents kept as each query\'s ground truth', { integer: true, min: 1, max: 1000 }).default(10))
    .addOption(seedOption('seed of the texts, metadata and queries: the same seed gives byte-identical files', 1))
    .option('--load <url>', 'also load the documents into the vector store of the serving-stacks emulate at this URL (e.g. http://127.0.0.1:8780), through its engine\'s client')
    .action(async (options: CorpusCommandOptions) => {
      const resolved = resolveTopology(selectTopology(options));
      const store = resolved.vectorStore;
      if (!store) throw new UsageError(`topology ${resolved.name}/${resolved.environment} has no vectorStore: the corpus takes its dimensions and metric from it`);
      if (options.k > options.documents) throw new UsageError(`--k: expected at most --documents (${options.documents}), got "${options.k}"`);
      if (options.load !== undefined && !/^https?:\/\/[^/]+/.test(options.load)) {
        throw new UsageError(`--load: expected the emulator's URL, e.g. http://127.0.0.1:8780, got "${options.load}"`);
      }
      const corpus = generateCorpus({ documents: options.documents, queries: options.queries, k: options.k, seed: options.seed, dimensions: store.dimensions, metric: store.metric });
      writeCorpus(corpus, options.out, { name: resolved.name, environment: resolved.environment });
      const sourceFound = corpus.queries.filter((q) => q.groundTruth.includes(q.sourceId)).length;
      process.stdout.write(
        `Wrote ${corpus.documents.length} documents and ${corpus.queries.length} queries to ${options.out} (seed ${options.seed}; ${store.dimensions} dimensions, ${store.metric}; exact top ${options.k})\n` +
          (corpus.queries.length > 0 ? `The paraphrased document is among its query's exact top ${options.k} for ${sourceFound} of ${corpus.queries.length} queries\n` : ''),
      );
      if (options.load === undefined) return;
      for (const loader of await corpusLoadersFor(options.load, resolved.regions.aws)) {
        try {
          await loader.load(corpus.documents, progressLine(loader.engine, corpus.documents.length));
          process.stdout.write(`Loaded ${corpus.documents.length} documents into ${loader.engine} at ${loader.target}\n`);
        } finally {
          await loader.close();
        }
      }
    });
}

/** On a terminal, one line rewritten as documents load (a large corpus takes minutes into PGlite); nothing when piped. */
function progressLine(engine: string, total: number): ((loaded: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (loaded) => process.stderr.write(`\r${engine}: ${loaded}/${total} documents${loaded === total ? '\n' : ''}`);
}
