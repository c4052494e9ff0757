/**
 * A reproducible news corpus for retrieval: documents (headline, passage, filterable metadata and
 * the bundled embedder's vector) and queries that paraphrase one document each, with the exact
 * top-k neighbours as ground truth. Everything is drawn from the seed, in streams of their own, so
 * the documents do not change when only the number of queries does, and N documents are the first
 * N of any larger corpus with the same seed.
 */
import { HashingTextEmbedder, tokenize } from '../models/hashing-text-embedder';
import { NEWS_TOPIC_NAMES, NEWS_TOPICS, newsHeadline, newsPassage, pick } from '../models/news-text';
import { hashSeed, Random } from '../replica/random';
import { ExactIndex } from '../vector-store/exact-index';
import type { VectorMetric } from '../vector-store/vector-distance';

/** Bumped whenever the same options would give different files. */
export const CORPUS_GENERATOR_VERSION = 1;
/** Documents are published in the 30 days before this instant (fixed, so output never depends on the clock). */
const CORPUS_EPOCH_MS = Date.UTC(2026, 11, 1);
const PUBLISHING_WINDOW_MINUTES = 30 * 24 * 60;
/** Labels for language filters; every text is English whatever its label. */
const LANGUAGES: readonly (readonly [string, number])[] = [['en', 0.7], ['es', 0.1], ['pt', 0.1], ['fr', 0.1]];
const PASSAGE_SENTENCES = { min: 2, max: 4 };
/** Significant digits kept of each vector component: float32 precision is not needed to rank, and files stay small. */
const VECTOR_DIGITS = 6;
/** Id digits: fixed, so a corpus's ids do not depend on how many documents it has. */
const ID_DIGITS = 7;
export const MAX_CORPUS_DOCUMENTS = 10 ** ID_DIGITS - 1;
/** Words a searcher adds that no document stresses. */
const QUERY_FILLERS = ['latest', 'news', 'update', 'report', 'today', 'live'];

export interface CorpusDocument {
  readonly id: string;
  /** The topic, for filters: one of NEWS_TOPIC_NAMES. */
  readonly section: string;
  /** ISO 8601, to the minute. */
  readonly publishedAt: string;
  /** ISO 639-1 label. */
  readonly language: string;
  readonly headline: string;
  readonly passage: string;
  /** The embedding of `headline + ' ' + passage`, components rounded to VECTOR_DIGITS significant digits. */
  readonly embedding: readonly number[];
}

export interface CorpusQuery {
  readonly id: string;
  readonly text: string;
  /** The document it paraphrases (not necessarily its nearest: ground truth decides). */
  readonly sourceId: string;
  readonly embedding: readonly number[];
  /** Ids of the exact k nearest documents under the metric, nearest first, ties by id. */
  readonly groundTruth: readonly string[];
}

export interface CorpusOptions {
  readonly documents: number;
  readonly queries: number;
  readonly k: number;
  readonly seed: number;
  readonly dimensions: number;
  readonly metric: VectorMetric;
}

export interface NewsCorpus {
  readonly options: CorpusOptions;
  readonly documents: readonly CorpusDocument[];
  readonly queries: readonly CorpusQuery[];
}

export function generateCorpus(options: CorpusOptions): NewsCorpus {
  const problems = corpusOptionProblems(options);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const embedder = new HashingTextEmbedder(options.dimensions);
  const embed = (text: string) => Array.from(embedder.embed(text), (v) => Number(v.toPrecision(VECTOR_DIGITS)));

  const docRandom = new Random(hashSeed(options.seed, 'corpus-documents'));
  const documents: CorpusDocument[] = [];
  const exact = new ExactIndex(options.dimensions, options.metric);
  for (let i = 0; i < options.documents; i++) {
    const document = newsDocument(i, docRandom, embed);
    documents.push(document);
    // The rounded vector, as stored: ground truth is about what a store holds.
    exact.upsert(document.id, Float32Array.from(document.embedding));
  }

  const queryRandom = new Random(hashSeed(options.seed, 'corpus-queries'));
  const queries: CorpusQuery[] = [];
  for (let q = 0; q < options.queries; q++) {
    const source = documents[Math.floor(queryRandom.uniform() * documents.length)];
    const text = paraphrase(source, queryRandom);
    const embedding = embed(text);
    const groundTruth = exact.search(Float32Array.from(embedding), { k: options.k }).map((n) => n.id);
    queries.push({ id: `q-${pad(q + 1)}`, text, sourceId: source.id, embedding, groundTruth });
  }
  return { options, documents, queries };
}

/** What is wrong with the options, each naming the field, its value and what is allowed. */
function corpusOptionProblems(o: CorpusOptions): string[] {
  const problems: string[] = [];
  const whole = (name: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${name}: expected a whole number from ${min} to ${max}, got ${value}`);
  };
  whole('documents', o.documents, 1, MAX_CORPUS_DOCUMENTS);
  whole('queries', o.queries, 0, MAX_CORPUS_DOCUMENTS);
  whole('k', o.k, 1, Math.max(1, o.documents));
  whole('dimensions', o.dimensions, 2, 16_000);
  return problems;
}

function newsDocument(index: number, random: Random, embed: (text: string) => number[]): CorpusDocument {
  const section = pick(random, NEWS_TOPIC_NAMES);
  const headline = newsHeadline(section, random);
  const sentences = PASSAGE_SENTENCES.min + Math.floor(random.uniform() * (PASSAGE_SENTENCES.max - PASSAGE_SENTENCES.min + 1));
  const passage = newsPassage(section, random, sentences);
  const minutesBefore = 1 + Math.floor(random.uniform() * PUBLISHING_WINDOW_MINUTES);
  const publishedAt = new Date(CORPUS_EPOCH_MS - minutesBefore * 60_000).toISOString().replace(':00.000Z', 'Z');
  const language = weighted(random, LANGUAGES);
  return { id: `doc-${pad(index + 1)}`, section, publishedAt, language, headline, passage, embedding: embed(`${headline} ${passage}`) };
}

/**
 * How a reader would search for the document: a run of its headline and a run of its passage,
 * with words dropped, swapped for another word of the section, and a filler word added, so the
 * query is near its source without being a copy of it.
 */
function paraphrase(source: CorpusDocument, random: Random): string {
  const run = (tokens: string[], length: number) => {
    const start = Math.floor(random.uniform() * Math.max(1, tokens.length - length + 1));
    return tokens.slice(start, start + length);
  };
  const words = [...run(tokenize(source.headline), 7), ...run(tokenize(source.passage), 8)];
  const vocabulary = NEWS_TOPICS[source.section];
  const noisy: string[] = [];
  for (const word of words) {
    const roll = random.uniform();
    if (roll < 0.15) continue;
    noisy.push(roll < 0.25 ? pick(random, vocabulary) : word);
  }
  noisy.splice(Math.floor(random.uniform() * (noisy.length + 1)), 0, pick(random, QUERY_FILLERS));
  return noisy.join(' ');
}

function weighted(random: Random, choices: readonly (readonly [string, number])[]): string {
  let roll = random.uniform();
  for (const [value, weight] of choices) {
    if (roll < weight) return value;
    roll -= weight;
  }
  return choices[choices.length - 1][0];
}

function pad(n: number): string {
  return String(n).padStart(ID_DIGITS, '0');
}
