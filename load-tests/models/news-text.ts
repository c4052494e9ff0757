/**
 * Seeded news text: topics with their vocabulary, headlines and passages. The embedder's and the
 * reranker's sample payloads draw headlines from here, and the retrieval corpus draws headlines and
 * passages, so a query the load test sends reads like the documents it retrieves.
 */
import type { Random } from '../replica/random';

export const NEWS_TOPICS: Readonly<Record<string, readonly string[]>> = {
  elections: ['election', 'ballot', 'senate', 'campaign', 'voters', 'poll', 'candidate', 'debate', 'turnout', 'governor'],
  markets: ['stocks', 'markets', 'inflation', 'rates', 'bank', 'earnings', 'investors', 'bonds', 'currency', 'recession'],
  weather: ['storm', 'hurricane', 'flood', 'heatwave', 'forecast', 'rain', 'wildfire', 'evacuation', 'drought', 'snow'],
  football: ['match', 'league', 'goal', 'coach', 'transfer', 'striker', 'final', 'season', 'stadium', 'injury'],
  technology: ['chip', 'startup', 'software', 'model', 'privacy', 'robot', 'cloud', 'launch', 'battery', 'outage'],
  health: ['vaccine', 'hospital', 'study', 'virus', 'doctors', 'trial', 'diet', 'sleep', 'nurses', 'clinic'],
};
export const NEWS_TOPIC_NAMES = Object.keys(NEWS_TOPICS);
const VERBS = ['hits', 'faces', 'prompts', 'sparks', 'drives', 'delays', 'lifts', 'reshapes', 'tests', 'follows'];
const PLACES = ['in Lisbon', 'across the Midwest', 'in Nairobi', 'near Osaka', 'in the capital', 'on the coast', 'in rural areas', 'overnight'];
/** Who a passage quotes. */
const SOURCES = ['officials', 'analysts', 'residents', 'a spokesperson', 'experts', 'local reporters', 'organisers', 'the ministry'];
const TIMES = ['on Monday', 'this week', 'late on Friday', 'after weeks of talks', 'for the third day', 'since the weekend'];

export function newsHeadline(topic: string, random: Random): string {
  const words = NEWS_TOPICS[topic];
  const a = pick(random, words);
  const b = pick(random, words);
  const c = pick(random, words);
  return `${capitalise(a)} ${pick(random, VERBS)} ${b} ${pick(random, PLACES)} as ${c} ${pick(random, VERBS)} ${pick(random, words)}`;
}

/** A short article body on the topic: `sentences` sentences of its vocabulary, places and sources. */
export function newsPassage(topic: string, random: Random, sentences: number): string {
  const words = NEWS_TOPICS[topic];
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) {
    out.push(
      `${capitalise(pick(random, words))} ${pick(random, VERBS)} ${pick(random, words)} and ${pick(random, words)} ${pick(random, PLACES)} ${pick(random, TIMES)}, ${pick(random, SOURCES)} said.`,
    );
  }
  return out.join(' ');
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random.uniform() * items.length)];
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
