export { openSqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
export { InvalidBatchError } from './validate.ts';
