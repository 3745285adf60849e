export {
  deserializeBatch,
  isSerializedBatch,
  itemsOf,
  mergeWritable,
  type SerializedBatch,
  serializeBatch,
  type WritableBatch,
} from './serialized-batch.ts';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite/index.ts';
export * from './store.ts';
export { InvalidBatchError } from './validate-batch.ts';
