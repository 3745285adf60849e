/**
 * `tooltrace store init`: puts the ILM policies, component and index templates,
 * then creates the regular indices and the data streams that do not exist yet
 * and brings the mappings of those that do up to date. Every step is a
 * create-or-update, so running it at every start is safe.
 */
import { Client } from '@elastic/elasticsearch';
import { type ResourceNames, resourceNames } from './names.ts';
import { bootstrapPlan, COMPONENT_PROPERTIES } from './templates.ts';

export interface BootstrapReport {
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

export async function bootstrapElasticsearch(client: Client, names: ResourceNames): Promise<BootstrapReport> {
  const plan = bootstrapPlan(names);
  const report: BootstrapReport = {
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
  const mappingOf = (name: string) => {
    if (name === names.triggerEvents) return COMPONENT_PROPERTIES['trigger-events-mappings'];
    if (name === names.deliveries) return COMPONENT_PROPERTIES['deliveries-mappings'];
    if (name === names.projects) return COMPONENT_PROPERTIES['projects-mappings'];
    if (name === names.keys) return COMPONENT_PROPERTIES['keys-mappings'];
    if (name.startsWith(`${names.prefix}-logs-`)) return COMPONENT_PROPERTIES['logs-mappings'];
    return COMPONENT_PROPERTIES['tool-calls-mappings'];
  };
  for (const index of plan.regularIndices) {
    try {
      await client.indices.create({ index });
      report.created.push(index);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      await client.indices.putMapping({ index, properties: mappingOf(index) });
      report.updated.push(index);
    }
  }
  for (const name of plan.dataStreams) {
    try {
      await client.indices.createDataStream({ name });
      report.created.push(name);
    } catch (error) {
      if (!isAlreadyExists(error)) throw error;
      // Existing backing indices get new fields now; changed settings apply from the next rollover.
      await client.indices.putMapping({ index: name, properties: mappingOf(name), write_index_only: false });
      report.updated.push(name);
    }
  }
  return report;
}

/** Removes everything a prefix owns (test teardown; never called by the product). */
export async function removeElasticsearchResources(client: Client, names: ResourceNames): Promise<void> {
  const plan = bootstrapPlan(names);
  const ignore404 = { ignore: [404] };
  await client.indices.deleteDataStream({ name: plan.dataStreams }, ignore404);
  await client.indices.delete({ index: plan.regularIndices, ignore_unavailable: true }, ignore404);
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
