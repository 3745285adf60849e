/**
 * `store init` through the real client against a recording HTTP server on
 * 127.0.0.1 that answers like Elasticsearch (no Elasticsearch can run here; the
 * answers follow the documented responses, including the product header the
 * client insists on). Checks the exact calls and the idempotent second run.
 */
import { Client } from '@elastic/elasticsearch';
import { afterEach, describe, expect, it } from 'vitest';
import { bootstrapElasticsearch } from './bootstrap.ts';
import { FULL_CAPABILITIES } from './capabilities.ts';
import { resourceNames } from './names.ts';
import { HttpError, startJsonServer } from './testing/json-server.ts';

interface Recorded {
  method: string;
  path: string;
  body: unknown;
}

async function fakeCluster(existing: Set<string>) {
  const calls: Recorded[] = [];
  const server = await startJsonServer(({ method, path, body }) => {
    calls.push({ method, path, body: body ? JSON.parse(body) : null });
    const name = path.split('/')[path.startsWith('/_data_stream/') ? 2 : 1] as string;
    const creates = method === 'PUT' && (path.startsWith('/_data_stream/') || !path.startsWith('/_'));
    if (creates && !path.endsWith('/_mapping')) {
      if (existing.has(name)) throw new HttpError(400, 'resource_already_exists_exception', `${name} already exists`);
      existing.add(name);
    }
    return { body: { acknowledged: true } };
  });
  return { calls, ...server };
}

describe('bootstrapElasticsearch', () => {
  let cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanup) await c();
    cleanup = [];
  });

  it('when run on an empty cluster and again, then it puts policies and templates each time and creates indices only once', async () => {
    const cluster = await fakeCluster(new Set());
    const client = new Client({ node: cluster.url });
    cleanup.push(cluster.close, () => client.close());
    const names = resourceNames('tt');

    const first = await bootstrapElasticsearch(client, names, FULL_CAPABILITIES);
    const firstCalls = cluster.calls.map((c) => `${c.method} ${c.path}`);
    expect(firstCalls.slice(0, 3)).toEqual([
      'PUT /_ilm/policy/tt-trial',
      'PUT /_ilm/policy/tt-pro',
      'PUT /_ilm/policy/tt-enterprise',
    ]);
    expect(firstCalls).toContain('PUT /_component_template/tt-logs-mappings');
    expect(firstCalls).toContain('PUT /_index_template/tt-logs-trial');
    expect(firstCalls).toContain('PUT /tt-trigger-events');
    expect(firstCalls).toContain('PUT /_data_stream/tt-logs-pro');
    // Templates exist before anything that they must shape is created.
    expect(firstCalls.indexOf('PUT /_index_template/tt-keys')).toBeLessThan(firstCalls.indexOf('PUT /tt-keys'));
    expect(first.created).toHaveLength(10);
    expect(first.updated).toEqual([]);

    const policy = cluster.calls[0]?.body as { policy: { phases: { delete: { min_age: string } } } };
    expect(policy.policy.phases.delete.min_age).toBe('7d');

    cluster.calls.length = 0;
    const second = await bootstrapElasticsearch(client, names, FULL_CAPABILITIES);
    expect(second.created).toEqual([]);
    expect(second.updated.sort()).toEqual(first.created.sort());
    const mappingUpdates = cluster.calls.filter((c) => c.path.endsWith('/_mapping'));
    expect(mappingUpdates.map((c) => c.path).sort()).toEqual(first.created.map((n) => `/${n}/_mapping`).sort());
  });

  it('when the cluster has no ILM, no data stream API and no match_only_text, then bootstrap uses none of them', async () => {
    const cluster = await fakeCluster(new Set());
    const client = new Client({ node: cluster.url });
    cleanup.push(cluster.close, () => client.close());
    const minimal = { ilm: false, dataStreamApi: false, dataStreamLifecycle: false, matchOnlyText: false };
    const report = await bootstrapElasticsearch(client, resourceNames('tt'), minimal);
    const calls = cluster.calls.map((c) => `${c.method} ${c.path}`);
    expect(calls.some((c) => c.includes('_ilm') || c.includes('/_data_stream/'))).toBe(false);
    expect(report.ageRetention).toBe('sweep');
    expect(report.policies).toEqual([]);
    const logsTemplate = cluster.calls.find((c) => c.path === '/_index_template/tt-logs-trial')?.body;
    expect(JSON.stringify(logsTemplate)).not.toContain('lifecycle');
    const logsMappings = cluster.calls.find((c) => c.path === '/_component_template/tt-logs-mappings')?.body as {
      template: { mappings: { properties: Record<string, { type: string }> } };
    };
    expect(logsMappings.template.mappings.properties.message?.type).toBe('text');
    // Streams come from their templates on first write; none exists yet, so none is created or updated.
    expect(report.created.sort()).toEqual(['tt-deliveries', 'tt-keys', 'tt-projects', 'tt-trigger-events']);
  });
});
