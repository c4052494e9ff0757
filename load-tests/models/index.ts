export * from './endpoint-model';
export * from './hashing-text-embedder';
export * from './linear-ranker';
export * from './news-text';
export * from './reranker';
export * from './sample-payloads';
