export * from './api.ts';
export * from './attributes.ts';
export * from './ids.ts';
export * from './ingest.ts';
export * from './plans.ts';
export * from './records.ts';
export * from './span-tree.ts';
export * from './status.ts';
