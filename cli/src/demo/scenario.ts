/**
 * The demo's traffic, as an agent platform and its users would make it: tool
 * calls across integrations and users (with the usual provider failures),
 * trigger subscriptions, polling rounds, provider webhooks and deliveries that
 * succeed, retry, fail for good or stay queued. Seeded, so every run tells the
 * same story; only the trace IDs and timestamps differ.
 */
import type { Integration } from './catalog.ts';
import type { CustomerWebhooks } from './customer-webhooks.ts';
import type { FakeProvider, ProviderConditions } from './fake-providers.ts';
import type { Random } from './random.ts';
import type { DemoService } from './service.ts';
import { USER_HEADER } from './user-header.ts';

export const PROJECT_ID = 'proj_demo';
export const USERS = Array.from({ length: 12 }, (_, i) => `user-${101 + i}`);

/** Who fails how at which provider; the rest of the traffic is healthy. */
export const PROVIDER_CONDITIONS: Record<Integration, ProviderConditions> = {
  slack: { revokedUsers: ['user-105'], readOnlyUsers: ['user-110'] },
  salesforce: { expiredTokenUsers: ['user-103'], brokenPaths: /Invoice__c/ },
  hubspot: { readOnlyUsers: ['user-107'], webhookCreateFailuresBeforeSuccess: 1 },
  googledrive: { brokenPaths: /\/files\/corrupt-/ },
  github: { rateLimitedUsers: ['user-109'] },
};

/** Connected integrations per user: everyone has Slack; the rest varies. */
export const CONNECTIONS: Record<string, readonly Integration[]> = {
  'user-101': ['slack', 'salesforce', 'googledrive'],
  'user-102': ['slack', 'salesforce', 'hubspot'],
  'user-103': ['slack', 'salesforce', 'github'],
  'user-104': ['slack', 'salesforce', 'github', 'googledrive'],
  'user-105': ['slack', 'hubspot'],
  'user-106': ['slack', 'googledrive', 'github'],
  'user-107': ['slack', 'hubspot', 'salesforce'],
  'user-108': ['slack', 'googledrive'],
  'user-109': ['slack', 'github'],
  'user-110': ['slack', 'hubspot', 'googledrive'],
  'user-111': ['slack', 'hubspot', 'github'],
  'user-112': ['slack', 'github', 'salesforce'],
};

/** Receiver answers by delivery, in order of arrival: mostly healthy, with each failure mode present. */
export const RECEIVER_PATTERN = ['ok', 'ok', 'flaky', 'ok', 'down', 'ok', 'ok', 'maintenance', 'ok', 'ok'] as const;

const TOOL_PARAMETERS: Record<string, (random: Random) => Record<string, unknown>> = {
  SLACK_LIST_CHANNELS: () => ({ limit: 100 }),
  SLACK_SEND_MESSAGE: (r) => ({
    channel: r.pick(['#general', '#deals', '#support']),
    text: r.pick(['Deal closed 🎉', 'Standup in 5', 'Ticket escalated']),
  }),
  SLACK_SEARCH_MESSAGES: (r) => ({ query: r.pick(['renewal', 'invoice', 'outage']) }),
  SALESFORCE_CREATE_RECORD: (r) => ({
    objectType: r.pick(['Lead', 'Opportunity', 'Task']),
    Name: r.pick(['Acme renewal', 'Globex pilot']),
  }),
  SALESFORCE_QUERY: () => ({ q: "SELECT Id, Name, Amount FROM Opportunity WHERE StageName = 'Negotiation'" }),
  HUBSPOT_CREATE_CONTACT: (r) => ({
    properties: { email: `lead${r.int(900) + 100}@northwind.test`, firstname: r.pick(['Lena', 'Omar', 'Kai']) },
  }),
  HUBSPOT_SEARCH_CONTACTS: (r) => ({
    filterGroups: [
      { filters: [{ propertyName: 'lifecyclestage', operator: 'EQ', value: r.pick(['lead', 'customer']) }] },
    ],
  }),
  GOOGLE_DRIVE_LIST_FILES: () => ({ q: "mimeType = 'application/vnd.google-apps.document'", pageSize: 20 }),
  GOOGLE_DRIVE_EXPORT_FILE: (r) => ({ fileId: r.pick(['1Zx9Q-roadmap', '1Ab3-pricing']), mimeType: 'text/plain' }),
  GITHUB_CREATE_ISSUE: (r) => ({
    owner: 'acme',
    repo: 'api',
    title: r.pick(['Flaky test in CI', 'Bump Node to 20.19']),
    body: 'Opened by the agent',
  }),
  GITHUB_LIST_PULL_REQUESTS: () => ({ owner: 'acme', repo: 'api', state: 'open' }),
};

const TOOLS_BY_INTEGRATION: Record<Integration, string[]> = {
  slack: ['SLACK_LIST_CHANNELS', 'SLACK_SEND_MESSAGE', 'SLACK_SEARCH_MESSAGES'],
  salesforce: ['SALESFORCE_CREATE_RECORD', 'SALESFORCE_QUERY'],
  hubspot: ['HUBSPOT_CREATE_CONTACT', 'HUBSPOT_SEARCH_CONTACTS'],
  googledrive: ['GOOGLE_DRIVE_LIST_FILES', 'GOOGLE_DRIVE_EXPORT_FILE'],
  github: ['GITHUB_CREATE_ISSUE', 'GITHUB_LIST_PULL_REQUESTS'],
};

interface PlannedCall {
  userId: string;
  action?: string;
  parameters?: Record<string, unknown>;
  /** list_tools when set (comma-separated integrations, '' for all). */
  listIntegrations?: string;
  /** An agent's trace context to continue. */
  traceparent?: string;
}

/** Every tool call of the demo, in order. */
export function planToolCalls(random: Random): PlannedCall[] {
  const calls: PlannedCall[] = USERS.map((userId, i) => ({ userId, listIntegrations: i % 3 === 0 ? 'slack' : '' }));
  calls.push({ userId: 'user-104', listIntegrations: 'salesforce,zendesk' }); // unknown integration: 400
  for (let i = 0; i < 56; i += 1) {
    const userId = random.pick(USERS);
    const action = random.pick(TOOLS_BY_INTEGRATION[random.pick(CONNECTIONS[userId]!)]);
    calls.push({ userId, action, parameters: TOOL_PARAMETERS[action]!(random) });
  }
  const scripted: PlannedCall[] = [
    { userId: 'user-105', action: 'SLACK_SEND_MESSAGE', parameters: { channel: '#general', text: 'Weekly report' } }, // 401 revoked
    { userId: 'user-105', action: 'SLACK_LIST_CHANNELS', parameters: { limit: 50 } }, // 401 revoked
    { userId: 'user-110', action: 'SLACK_SEND_MESSAGE', parameters: { channel: '#deals', text: 'New lead' } }, // 403 scope
    {
      userId: 'user-107',
      action: 'HUBSPOT_CREATE_CONTACT',
      parameters: { properties: { email: 'omar@initech.test' } },
    }, // 403
    {
      userId: 'user-109',
      action: 'GITHUB_LIST_PULL_REQUESTS',
      parameters: { owner: 'acme', repo: 'web', state: 'open' },
    }, // 429
    {
      userId: 'user-109',
      action: 'GITHUB_CREATE_ISSUE',
      parameters: { owner: 'acme', repo: 'web', title: 'Login broken' },
    }, // 429
    { userId: 'user-103', action: 'SALESFORCE_QUERY', parameters: { q: 'SELECT Id FROM Account LIMIT 5' } }, // refresh, then OK
    {
      userId: 'user-112',
      action: 'SALESFORCE_CREATE_RECORD',
      parameters: { objectType: 'Invoice__c', Name: 'INV-2291' },
    }, // 500
    {
      userId: 'user-106',
      action: 'GOOGLE_DRIVE_EXPORT_FILE',
      parameters: { fileId: 'corrupt-7f3a', mimeType: 'text/plain' },
    }, // 500
    { userId: 'user-101', action: 'SLACK_SCHEDULE_MEETING', parameters: {} }, // unknown tool: 404
    { userId: 'user-108', action: 'GITHUB_CREATE_ISSUE', parameters: { owner: 'acme', repo: 'api', title: 'x' } }, // not connected: 400
  ];
  // Weave the failures into the traffic rather than bunching them at the end.
  for (const [i, call] of scripted.entries()) calls.splice(14 + i * 5, 0, call);
  // One agent run making three calls in its own trace (continued through traceparent).
  const agentTrace = random.hex(32);
  const agentCalls: PlannedCall[] = [
    {
      userId: 'user-102',
      action: 'HUBSPOT_SEARCH_CONTACTS',
      parameters: TOOL_PARAMETERS.HUBSPOT_SEARCH_CONTACTS!(random),
    },
    { userId: 'user-102', action: 'SALESFORCE_QUERY', parameters: TOOL_PARAMETERS.SALESFORCE_QUERY!(random) },
    {
      userId: 'user-102',
      action: 'SLACK_SEND_MESSAGE',
      parameters: { channel: '#deals', text: 'Summary: 3 open deals' },
    },
  ].map((call) => ({ ...call, traceparent: `00-${agentTrace}-${random.hex(16)}-01` }));
  calls.push(...agentCalls);
  return calls;
}

async function callTool(serviceUrl: string, call: PlannedCall): Promise<number> {
  const headers: Record<string, string> = { [USER_HEADER]: call.userId, 'content-type': 'application/json' };
  if (call.traceparent) headers.traceparent = call.traceparent;
  const base = `${serviceUrl}/projects/${PROJECT_ID}/actions`;
  const response =
    call.listIntegrations !== undefined
      ? await fetch(call.listIntegrations ? `${base}?integrations=${call.listIntegrations}` : base, { headers })
      : await fetch(base, {
          method: 'POST',
          headers,
          body: JSON.stringify({ action: call.action, parameters: call.parameters }),
        });
  await response.arrayBuffer();
  return response.status;
}

interface Subscribe {
  trigger: string;
  userId: string;
  accountId: string;
}

const SUBSCRIPTIONS: Subscribe[] = [
  { trigger: 'SALESFORCE_RECORD_CREATED', userId: 'user-101', accountId: 'org-acme' },
  { trigger: 'SALESFORCE_RECORD_CREATED', userId: 'user-102', accountId: 'org-acme' },
  { trigger: 'SALESFORCE_RECORD_CREATED', userId: 'user-103', accountId: 'org-acme' },
  { trigger: 'SALESFORCE_RECORD_CREATED', userId: 'user-104', accountId: 'org-globex' },
  { trigger: 'GOOGLE_DRIVE_FILE_UPDATED', userId: 'user-106', accountId: 'drive-106' },
  { trigger: 'GOOGLE_DRIVE_FILE_UPDATED', userId: 'user-108', accountId: 'drive-108' },
  { trigger: 'HUBSPOT_CONTACT_CREATED', userId: 'user-102', accountId: 'portal-1' }, // first create fails with 500, retry works
  { trigger: 'HUBSPOT_CONTACT_CREATED', userId: 'user-107', accountId: 'portal-7' }, // read-only token: fails for good
  { trigger: 'HUBSPOT_CONTACT_CREATED', userId: 'user-111', accountId: 'portal-1' },
  { trigger: 'GITHUB_ISSUE_OPENED', userId: 'user-104', accountId: 'acme/api' },
  { trigger: 'GITHUB_ISSUE_OPENED', userId: 'user-112', accountId: 'globex/app' },
];

export interface ScenarioEnvironment {
  service: DemoService;
  providers: Record<Integration, FakeProvider>;
  customer: CustomerWebhooks;
  random: Random;
  log: (line: string) => void;
  /** Called before each step of the story (0-based, of `steps`); the demo dates the step's traces here. */
  beforeStep?: (index: number, steps: number) => void;
}

export interface ScenarioCounts {
  toolCalls: number;
  triggerEvents: number;
}

type Step = () => Promise<void>;

/** `extra` spread evenly through `main`, the last one after the last of `main`. */
export function weave<T>(main: readonly T[], extra: readonly T[]): T[] {
  const out: T[] = [];
  let next = 0;
  for (const [i, item] of main.entries()) {
    out.push(item);
    while (next < extra.length && Math.round(((next + 1) * main.length) / extra.length) <= i + 1) {
      out.push(extra[next]!);
      next += 1;
    }
  }
  return [...out, ...extra.slice(next)];
}

/** Calls continuing one agent's trace run as one step (one moment in the story). */
function groupByAgentRun(calls: readonly PlannedCall[]): PlannedCall[][] {
  const groups: PlannedCall[][] = [];
  for (const call of calls) {
    const last = groups.at(-1);
    const traceOf = (c: PlannedCall | undefined) => c?.traceparent?.split('-')[1];
    if (last && call.traceparent && traceOf(last[0]) === traceOf(call)) last.push(call);
    else groups.push([call]);
  }
  return groups;
}

/**
 * The story in the order it happens: users open their agents and set up their
 * triggers, then tool calls go on all day while polling rounds and provider
 * webhooks produce events, each delivered (and retried) right away.
 */
export async function runScenario(env: ScenarioEnvironment): Promise<ScenarioCounts> {
  const { service, providers, customer, random, log } = env;

  const calls = planToolCalls(random);
  let failed = 0;
  const toolSteps: Step[] = groupByAgentRun(calls).map((group) => async () => {
    for (const call of group) {
      if ((await callTool(service.url, call)) >= 400) failed += 1;
    }
  });

  const subscriptionSteps: Step[] = SUBSCRIPTIONS.map((s) => async () => {
    const response = await fetch(`${service.url}/projects/${PROJECT_ID}/triggers/${s.trigger}/subscriptions`, {
      method: 'POST',
      headers: { [USER_HEADER]: s.userId, 'content-type': 'application/json' },
      body: JSON.stringify({ accountId: s.accountId, webhookUrl: customer.webhookUrl }),
    });
    await response.arrayBuffer();
  });

  const record = (prefix: string, fields: Record<string, unknown>) => ({ id: `${prefix}${random.hex(12)}`, ...fields });
  const rounds: Array<() => void> = [
    () => {
      providers.salesforce.addChanges('org-acme', {
        created: [record('00Q5g', { Name: 'Acme – 50 seats' }), record('00Q5g', { Name: 'Acme – support add-on' })],
        updated: [],
      });
      providers.salesforce.addChanges('org-globex', {
        created: [record('00Q7h', { Name: 'Globex pilot' })],
        updated: [],
      });
      providers.googledrive.addChanges('drive-106', { created: [], updated: [record('1Dr', { name: 'Q4 forecast' })] });
    },
    () => {
      providers.salesforce.addChanges('org-acme', {
        created: [record('00Q5g', { Name: 'Acme – renewal' })],
        updated: [record('00Q5g', { Name: 'Acme – 60 seats' })],
      });
      providers.googledrive.addChanges('drive-108', { created: [record('1Dr', { name: 'Hiring plan' })], updated: [] });
    },
    () => {
      // A record without a Name cannot be mapped: a processing failure.
      providers.salesforce.addChanges('org-acme', { created: [record('00Q5g', { Name: '' })], updated: [] });
      providers.googledrive.addChanges('drive-108', {
        created: [],
        updated: [record('1Dr', { name: 'Hiring plan v2' }), record('1Dr', { name: 'Offsite agenda' })],
      });
    },
  ];
  let polledEvents = 0;
  const pollingSteps: Step[] = rounds.map((addChanges) => async () => {
    addChanges();
    polledEvents += await service.runPollingJobs();
  });

  const webhookEvents: Array<[FakeProvider, string, Record<string, unknown>]> = [
    [
      providers.hubspot,
      'portal-1',
      { objectId: 9001, properties: { email: 'lena@northwind.test', firstname: 'Lena' } },
    ],
    [providers.hubspot, 'portal-1', { objectId: 9002, properties: { email: 'kai@umbrella.test', firstname: 'Kai' } }],
    [providers.hubspot, 'portal-1', { objectId: 9003, properties: { firstname: 'NoEmail' } }], // unmappable
    [providers.github, 'acme/api', { action: 'opened', issue: { number: 1290, title: 'Webhook retries double-send' } }],
    [providers.github, 'acme/api', { action: 'opened', issue: { number: 1291, title: 'Docs: trigger setup' } }],
    [providers.github, 'acme/api', { action: 'opened', issue: { number: 1292, title: 'Rate limit headers missing' } }],
    [providers.github, 'globex/app', { action: 'opened', issue: { number: 77, title: 'Crash on login' } }],
    [providers.github, 'globex/app', { action: 'opened', issue: { number: 78, title: 'Dark mode' } }],
  ];
  let webhookCalls = 0;
  const webhookSteps: Step[] = webhookEvents.map(([provider, accountId, event]) => async () => {
    webhookCalls += (await provider.emitWebhookEvent(accountId, event)).length;
  });

  // The delivery worker picks up each event's deliveries right after the event (retries included).
  const eventSteps: Step[] = weave(webhookSteps, pollingSteps).map((step) => async () => {
    await step();
    await service.deliveries.drain();
  });
  // Everyone lists their tools first (the first calls of the plan), setting up triggers in between.
  const opening = USERS.length + 1;
  const steps = [
    ...weave(toolSteps.slice(0, opening), subscriptionSteps),
    ...weave(toolSteps.slice(opening), eventSteps),
  ];
  for (const [index, step] of steps.entries()) {
    env.beforeStep?.(index, steps.length);
    await step();
  }

  log(`${calls.length} tool calls (${failed} failed)`);
  log(`${SUBSCRIPTIONS.length} trigger subscriptions`);
  log(`${polledEvents} polled events, ${webhookCalls} webhook events`);
  log(`deliveries done (${service.deliveries.waiting} waiting for a later retry, ${customer.received} received)`);

  return { toolCalls: calls.length, triggerEvents: service.triggerTraces };
}
