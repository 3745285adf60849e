export { openSqliteStore, type SqliteStoreOptions } from './sqlite/index.ts';
export * from './store.ts';
export { InvalidBatchError } from './validate-batch.ts';
