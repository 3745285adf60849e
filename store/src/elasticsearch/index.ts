export {
  type BootstrapReport,
  bootstrapElasticsearch,
  initElasticsearch,
  removeElasticsearchResources,
} from './bootstrap.ts';
export { type ElasticsearchStoreOptions, openElasticsearchStore } from './elasticsearch-store.ts';
export { InvalidPrefixError, type ResourceNames, resourceNames } from './names.ts';
