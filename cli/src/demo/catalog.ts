/**
 * What the demo platform offers: integrations, their tools (each one provider
 * API call) and their triggers. Paths mimic the real provider APIs; the fake
 * providers serve them locally.
 */
import type { SubscriptionModel } from '@tooltrace/conventions';

export const INTEGRATIONS = ['slack', 'salesforce', 'hubspot', 'googledrive', 'github'] as const;
export type Integration = (typeof INTEGRATIONS)[number];

export interface ToolDefinition {
  name: string;
  integration: Integration;
  description: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** Provider API path; `:name` segments are filled from the parameters. */
  path: string;
  /** Writes need a write scope; read-only tokens get 403. */
  writes: boolean;
}

export const TOOLS: readonly ToolDefinition[] = [
  {
    name: 'SLACK_LIST_CHANNELS',
    integration: 'slack',
    description: 'List channels',
    method: 'GET',
    path: '/api/conversations.list',
    writes: false,
  },
  {
    name: 'SLACK_SEND_MESSAGE',
    integration: 'slack',
    description: 'Post a message',
    method: 'POST',
    path: '/api/chat.postMessage',
    writes: true,
  },
  {
    name: 'SLACK_SEARCH_MESSAGES',
    integration: 'slack',
    description: 'Search messages',
    method: 'GET',
    path: '/api/search.messages',
    writes: false,
  },
  {
    name: 'SALESFORCE_CREATE_RECORD',
    integration: 'salesforce',
    description: 'Create a record',
    method: 'POST',
    path: '/services/data/v60.0/sobjects/:objectType',
    writes: true,
  },
  {
    name: 'SALESFORCE_QUERY',
    integration: 'salesforce',
    description: 'Run a SOQL query',
    method: 'GET',
    path: '/services/data/v60.0/query',
    writes: false,
  },
  {
    name: 'HUBSPOT_CREATE_CONTACT',
    integration: 'hubspot',
    description: 'Create a contact',
    method: 'POST',
    path: '/crm/v3/objects/contacts',
    writes: true,
  },
  {
    name: 'HUBSPOT_SEARCH_CONTACTS',
    integration: 'hubspot',
    description: 'Search contacts',
    method: 'POST',
    path: '/crm/v3/objects/contacts/search',
    writes: false,
  },
  {
    name: 'GOOGLE_DRIVE_LIST_FILES',
    integration: 'googledrive',
    description: 'List files',
    method: 'GET',
    path: '/drive/v3/files',
    writes: false,
  },
  {
    name: 'GOOGLE_DRIVE_EXPORT_FILE',
    integration: 'googledrive',
    description: 'Export a file',
    method: 'GET',
    path: '/drive/v3/files/:fileId/export',
    writes: false,
  },
  {
    name: 'GITHUB_CREATE_ISSUE',
    integration: 'github',
    description: 'Open an issue',
    method: 'POST',
    path: '/repos/:owner/:repo/issues',
    writes: true,
  },
  {
    name: 'GITHUB_LIST_PULL_REQUESTS',
    integration: 'github',
    description: 'List pull requests',
    method: 'GET',
    path: '/repos/:owner/:repo/pulls',
    writes: false,
  },
];

export function toolByName(name: string): ToolDefinition | undefined {
  return TOOLS.find((tool) => tool.name === name);
}

export interface TriggerDefinition {
  name: string;
  integration: Integration;
  subscriptionModel: SubscriptionModel;
}

export const TRIGGERS: readonly TriggerDefinition[] = [
  { name: 'SALESFORCE_RECORD_CREATED', integration: 'salesforce', subscriptionModel: 'POLLING' },
  { name: 'GOOGLE_DRIVE_FILE_UPDATED', integration: 'googledrive', subscriptionModel: 'POLLING' },
  { name: 'HUBSPOT_CONTACT_CREATED', integration: 'hubspot', subscriptionModel: 'WEBHOOK' },
  { name: 'GITHUB_ISSUE_OPENED', integration: 'github', subscriptionModel: 'WEBHOOK' },
];

export function triggerByName(name: string): TriggerDefinition | undefined {
  return TRIGGERS.find((trigger) => trigger.name === name);
}

/** Fills `:name` path segments from the parameters; the rest travel as query or body. */
export function fillPath(path: string, parameters: Record<string, unknown>): string {
  return path.replace(/:([a-zA-Z]+)/g, (_match, name: string) => encodeURIComponent(String(parameters[name] ?? name)));
}
