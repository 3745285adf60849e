export { InvalidBatchError, openSqliteStore, type SqliteStoreOptions } from './sqlite/index.ts';
export * from './store.ts';
