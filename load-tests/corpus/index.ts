export * from './corpus-loader';
export * from './corpus-loaders';
export * from './news-corpus';
export * from './pgvector-corpus-loader';
export * from './write-corpus';
export * from './corpus-json-lines';
export * from './tuning-corpus';
