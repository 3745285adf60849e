/**
 * What the cluster offers, asked once at start-up (DESIGN §5, issue 13). A
 * full distribution has ILM, the data stream API and lifecycle, and
 * `match_only_text`; Elastic Cloud Serverless has data stream lifecycle but no
 * ILM; Elastic's minimal `integ-test-zip` has none of them. The backend picks
 * its age-retention mechanism and mappings from the answer, and says which.
 */
import type { Client } from '@elastic/elasticsearch';
import type { AgeRetention } from '@tooltrace/conventions';

export type { AgeRetention };

export interface ClusterCapabilities {
  ilm: boolean;
  /** `PUT/GET/DELETE _data_stream/…` (without it, streams are made by their template on first write). */
  dataStreamApi: boolean;
  dataStreamLifecycle: boolean;
  matchOnlyText: boolean;
}

/** Everything present: what the builders assume when no cluster was asked (unit tests, `bootstrapPlan()`). */
export const FULL_CAPABILITIES: ClusterCapabilities = {
  ilm: true,
  dataStreamApi: true,
  dataStreamLifecycle: true,
  matchOnlyText: true,
};

/** ILM where the cluster has it, else data stream lifecycle, else our own sweep (§5). */
export function ageRetentionOf(capabilities: ClusterCapabilities): AgeRetention {
  if (capabilities.ilm) return 'ilm';
  if (capabilities.dataStreamLifecycle && capabilities.dataStreamApi) return 'data_stream_lifecycle';
  return 'sweep';
}

export function describeCapabilities(capabilities: ClusterCapabilities): string {
  const age = ageRetentionOf(capabilities);
  const how = {
    ilm: 'ILM delete phase',
    data_stream_lifecycle: 'data stream lifecycle (data_retention)',
    sweep: "tooltrace's own age sweep (the cluster has neither ILM nor data stream lifecycle)",
  }[age];
  const message = capabilities.matchOnlyText ? 'match_only_text' : 'text (no match_only_text on this cluster)';
  return `age retention by ${how}; log messages mapped as ${message}; count cap by tooltrace's own sweep`;
}

interface ProbeAnswer {
  statusCode: number;
  body: unknown;
}

/**
 * An endpoint is missing when Elasticsearch has no handler for it: 400/405
 * "no handler found" / "Incorrect HTTP method", or a path it took for an index
 * name (`invalid_index_name_exception`). Any other answer (200, 404 for no
 * such resource) means the endpoint is there.
 */
function endpointExists(answer: ProbeAnswer): boolean {
  if (answer.statusCode < 400 || answer.statusCode === 404) return true;
  const text = JSON.stringify(answer.body ?? '');
  return !/no handler found|Incorrect HTTP method|invalid_index_name_exception/.test(text);
}

async function probe(client: Client, method: string, path: string, body?: unknown): Promise<ProbeAnswer> {
  const response = await client.transport.request(
    { method, path, ...(body === undefined ? {} : { body: body as Record<string, unknown> }) },
    { meta: true, ignore: [400, 404, 405] },
  );
  return { statusCode: response.statusCode ?? 0, body: response.body };
}

/** Asks the cluster (four small requests, no side effects) what it has. */
export async function detectCapabilities(client: Client, prefix: string): Promise<ClusterCapabilities> {
  const [ilm, dataStreams, lifecycle, mapping] = await Promise.all([
    probe(client, 'GET', '/_ilm/status'),
    probe(client, 'GET', `/_data_stream/${encodeURIComponent(`${prefix}-capability-probe`)}`),
    probe(client, 'GET', '/_data_stream/_lifecycle/stats'),
    // Simulating a template builds its mappings without creating anything.
    probe(client, 'POST', '/_index_template/_simulate', {
      index_patterns: [`${prefix}-capability-probe`],
      template: { mappings: { properties: { probe: { type: 'match_only_text' } } } },
    }),
  ]);
  return {
    ilm: ilm.statusCode === 200,
    dataStreamApi: endpointExists(dataStreams),
    dataStreamLifecycle: endpointExists(lifecycle),
    matchOnlyText: mapping.statusCode === 200,
  };
}
