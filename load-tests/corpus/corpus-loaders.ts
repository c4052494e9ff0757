/**
 * Which loaders a running `serving-stacks emulate` takes: one per engine it lists under
 * `vectorStore` in `GET /emulator`. An engine is added here with one line (its listing's shape and
 * its loader); the command and everything else stay as they are.
 */
import { z } from 'zod';
import { CorpusLoadError, type CorpusLoader } from './corpus-loader';
import { OpenSearchCorpusLoader } from './opensearch-corpus-loader';
import { PgvectorCorpusLoader } from './pgvector-corpus-loader';
import { VertexCorpusLoader } from './vertex-corpus-loader';

interface LoaderContext {
  readonly emulatorUrl: string;
  /** The topology's AWS region, which SigV4 signs for. */
  readonly region: string;
}

const LOADERS: Readonly<Record<string, (entry: unknown, context: LoaderContext) => CorpusLoader>> = {
  pgvector: (entry) => new PgvectorCorpusLoader(z.object({ url: z.string(), table: z.string(), column: z.string() }).parse(entry)),
  opensearch: (entry, { region }) =>
    new OpenSearchCorpusLoader(z.object({ url: z.string(), index: z.string(), field: z.string(), idField: z.string() }).parse(entry), region),
  vertex: (entry, { emulatorUrl }) => new VertexCorpusLoader(z.object({ index: z.string() }).parse(entry), emulatorUrl),
};

/** The loaders for every engine the emulator at `emulatorUrl` serves. */
export async function corpusLoadersFor(emulatorUrl: string, region: string): Promise<CorpusLoader[]> {
  const listing = await emulatorListing(emulatorUrl);
  const engines = Object.keys(listing.vectorStore ?? {});
  if (engines.length === 0) throw new CorpusLoadError(`the emulator at ${emulatorUrl} serves no vector store: its topology has no vectorStore`);
  const unsupported = engines.filter((engine) => !LOADERS[engine]);
  if (unsupported.length > 0) {
    throw new CorpusLoadError(`the emulator at ${emulatorUrl} lists vectorStore ${unsupported.join(', ')}; corpus loads into ${Object.keys(LOADERS).join(', ')} only`);
  }
  return engines.map((engine) => LOADERS[engine](listing.vectorStore?.[engine], { emulatorUrl, region }));
}

async function emulatorListing(emulatorUrl: string): Promise<{ vectorStore?: Record<string, unknown> }> {
  const url = `${emulatorUrl.replace(/\/+$/, '')}/emulator`;
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new CorpusLoadError(`no emulator answers at ${emulatorUrl} (${(e as Error & { cause?: Error }).cause?.message ?? (e as Error).message}); start one with serving-stacks emulate`);
  }
  if (!response.ok) throw new CorpusLoadError(`GET ${url} answered ${response.status}: is ${emulatorUrl} a serving-stacks emulate?`);
  return (await response.json()) as { vectorStore?: Record<string, unknown> };
}
