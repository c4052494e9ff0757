import type { CorpusDocument } from './news-corpus';

/** Everything a store keeps beside the vector: what filters and the reranker read. */
export function metadataOf(d: CorpusDocument): Record<string, string> {
  return { section: d.section, publishedAt: d.publishedAt, language: d.language, headline: d.headline, passage: d.passage };
}
