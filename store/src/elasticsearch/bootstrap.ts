/**
 * `tooltrace store init`: asks the cluster what it offers (capabilities.ts),
 * puts the ILM policies (where there is ILM), component and index templates,
 * then creates the regular indices and the data streams that do not exist yet
 * and brings the mappings of those that do up to date. Every step is a
 * create-or-update, so running it at every start is safe. Without the data
 * stream API, a stream is made by its template on its first write.
 */
import { Client } from '@elastic/elasticsearch';
import {
  type AgeRetention,
  ageRetentionOf,
  type ClusterCapabilities,
  describeCapabilities,
  detectCapabilities,
} from './capabilities.ts';
import { type ResourceNames, resourceNames } from './names.ts';
import { bootstrapPlan, componentProperties } from './templates.ts';

export interface BootstrapReport {
  capabilities: ClusterCapabilities;
  ageRetention: AgeRetention;
  /** One line saying which mechanisms this cluster gets (logged at start, printed by `store init`). */
  summary: string;
  policies: string[];
  componentTemplates: string[];
  indexTemplates: string[];
  /** Indices and data streams created by this run (empty when all existed). */
  created: string[];
  /** Existing indices and data streams whose mappings were brought up to date. */
  updated: string[];
}

function isAlreadyExists(error: unknown): boolean {
  const type = (error as { meta?: { body?: { error?: { type?: string } } } })?.meta?.body?.error?.type;
  return type === 'resource_already_exists_exception';
}

function mappingPart(names: ResourceNames, name: string) {
  if (name === names.triggerEvents) return 'trigger-events-mappings';
  if (name === names.deliveries) return 'deliveries-mappings';
  if (name === names.projects) return 'projects-mappings';
  if (name === names.keys) return 'keys-mappings';
  if (name.startsWith(`${names.prefix}-logs-`)) return 'logs-mappings';
  return 'tool-calls-mappings';
}

/** Data streams that already exist (without the data stream API: resolved by name). */
async function existingStreams(client: Client, names: readonly string[]): Promise<Set<string>> {
  const resolved = await client.indices.resolveIndex({ name: [...names], expand_wildcards: 'all' }, { ignore: [404] });
  return new Set((resolved.data_streams ?? []).map((s) => s.name));
}

/** What the cluster offers (asked, unless already known) and the resources that fit it. */
async function planFor(client: Client, names: ResourceNames, known?: ClusterCapabilities) {
  const capabilities = known ?? (await detectCapabilities(client, names.prefix));
  return { capabilities, plan: bootstrapPlan(names, capabilities) };
}

export async function bootstrapElasticsearch(
  client: Client,
  names: ResourceNames,
  known?: ClusterCapabilities,
): Promise<BootstrapReport> {
  const { capabilities, plan } = await planFor(client, names, known);
  const report: BootstrapReport = {
    capabilities,
    ageRetention: ageRetentionOf(capabilities),
    summary: describeCapabilities(capabilities),
    policies: [],
    componentTemplates: [],
    indexTemplates: [],
    created: [],
    updated: [],
  };
  for (const policy of plan.policies) {
    await client.ilm.putLifecycle(policy);
    report.policies.push(policy.name);
  }
  for (const component of plan.components) {
    await client.cluster.putComponentTemplate(component);
    report.componentTemplates.push(component.name);
  }
  for (const template of plan.templates) {
    await client.indices.putIndexTemplate(template);
    report.indexTemplates.push(template.name);
  }
  const properties = (name: string) => componentProperties(mappingPart(names, name), capabilities);
  for (const index of plan.regularIndices) {
    try {
      await client.indices.create({ index });
      report.created.push(index);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      await client.indices.putMapping({ index, properties: properties(index) });
      report.updated.push(index);
    }
  }
  const existing = capabilities.dataStreamApi ? new Set<string>() : await existingStreams(client, plan.dataStreams);
  for (const name of plan.dataStreams) {
    if (!capabilities.dataStreamApi && !existing.has(name)) continue;
    try {
      if (!existing.has(name)) {
        await client.indices.createDataStream({ name });
        report.created.push(name);
        continue;
      }
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
    }
    // Existing backing indices get new fields now; changed settings apply from the next rollover.
    await client.indices.putMapping({ index: name, properties: properties(name), write_index_only: false });
    report.updated.push(name);
  }
  return report;
}

/**
 * Removes everything a prefix owns (test teardown; never called by the
 * product). Without the data stream API a stream cannot be deleted: its
 * backing indices stay until the (throwaway) test node goes.
 */
export async function removeElasticsearchResources(
  client: Client,
  names: ResourceNames,
  capabilities?: ClusterCapabilities,
): Promise<void> {
  const { capabilities: known, plan } = await planFor(client, names, capabilities);
  const ignore404 = { ignore: [404] };
  if (known.dataStreamApi) await client.indices.deleteDataStream({ name: plan.dataStreams }, ignore404);
  await client.indices.delete({ index: plan.regularIndices, ignore_unavailable: true }, ignore404);
  // Templates of streams that cannot be deleted are still in use, and stay with them.
  if (!known.dataStreamApi) return;
  for (const template of plan.templates) await client.indices.deleteIndexTemplate({ name: template.name }, ignore404);
  for (const component of plan.components) {
    await client.cluster.deleteComponentTemplate({ name: component.name }, ignore404);
  }
  for (const policy of plan.policies) await client.ilm.deleteLifecycle({ name: policy.name }, ignore404);
}

/** `store init` on a cluster URL: its own short-lived client, closed whatever happens. */
export async function initElasticsearch(options: { node: string; prefix?: string }): Promise<BootstrapReport> {
  const client = new Client({ node: options.node });
  try {
    return await bootstrapElasticsearch(client, resourceNames(options.prefix));
  } finally {
    await client.close();
  }
}
