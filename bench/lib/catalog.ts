/**
 * What an ActionKit-style service talks to: integrations, their tools (with
 * the provider request each makes) and their triggers. Names and sizes follow
 * the product page (Slack, Salesforce, HubSpot… tools like SLACK_SEND_MESSAGE).
 */

export interface ToolSpec {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Provider endpoint path, appended to the integration's API base. */
  path: string;
}

export interface IntegrationSpec {
  name: string;
  apiBase: string;
  tools: readonly ToolSpec[];
  triggers: readonly string[];
  /** Share of the traffic, relative. */
  weight: number;
}

export const INTEGRATIONS: readonly IntegrationSpec[] = [
  {
    name: 'slack',
    apiBase: 'https://slack.com/api',
    weight: 6,
    tools: [
      { name: 'SLACK_SEND_MESSAGE', method: 'POST', path: '/chat.postMessage' },
      { name: 'SLACK_LIST_CHANNELS', method: 'GET', path: '/conversations.list' },
      { name: 'SLACK_SEARCH_MESSAGES', method: 'GET', path: '/search.messages' },
      { name: 'SLACK_UPDATE_MESSAGE', method: 'POST', path: '/chat.update' },
    ],
    triggers: ['SLACK_NEW_MESSAGE', 'SLACK_CHANNEL_CREATED'],
  },
  {
    name: 'salesforce',
    apiBase: 'https://acme.my.salesforce.com/services/data/v60.0',
    weight: 5,
    tools: [
      { name: 'SALESFORCE_CREATE_RECORD', method: 'POST', path: '/sobjects/Opportunity' },
      { name: 'SALESFORCE_UPDATE_RECORD', method: 'PATCH', path: '/sobjects/Contact/0035g00000XyZAbAAN' },
      { name: 'SALESFORCE_SEARCH_RECORDS', method: 'GET', path: '/query' },
      { name: 'SALESFORCE_GET_RECORD', method: 'GET', path: '/sobjects/Account/0015g00000AbCdEAAV' },
    ],
    triggers: ['SALESFORCE_RECORD_CREATED', 'SALESFORCE_RECORD_UPDATED'],
  },
  {
    name: 'hubspot',
    apiBase: 'https://api.hubapi.com',
    weight: 4,
    tools: [
      { name: 'HUBSPOT_CREATE_CONTACT', method: 'POST', path: '/crm/v3/objects/contacts' },
      { name: 'HUBSPOT_UPDATE_DEAL', method: 'PATCH', path: '/crm/v3/objects/deals/1893245' },
      { name: 'HUBSPOT_SEARCH_COMPANIES', method: 'POST', path: '/crm/v3/objects/companies/search' },
    ],
    triggers: ['HUBSPOT_CONTACT_CREATED', 'HUBSPOT_DEAL_STAGE_CHANGED'],
  },
  {
    name: 'googledrive',
    apiBase: 'https://www.googleapis.com/drive/v3',
    weight: 3,
    tools: [
      { name: 'GOOGLE_DRIVE_LIST_FILES', method: 'GET', path: '/files' },
      { name: 'GOOGLE_DRIVE_CREATE_FOLDER', method: 'POST', path: '/files' },
      { name: 'GOOGLE_DRIVE_SHARE_FILE', method: 'POST', path: '/files/1AbC2dEf/permissions' },
    ],
    triggers: ['GOOGLE_DRIVE_FILE_CREATED'],
  },
  {
    name: 'jira',
    apiBase: 'https://acme.atlassian.net/rest/api/3',
    weight: 3,
    tools: [
      { name: 'JIRA_CREATE_ISSUE', method: 'POST', path: '/issue' },
      { name: 'JIRA_TRANSITION_ISSUE', method: 'POST', path: '/issue/OPS-1432/transitions' },
      { name: 'JIRA_SEARCH_ISSUES', method: 'GET', path: '/search' },
    ],
    triggers: ['JIRA_ISSUE_CREATED', 'JIRA_ISSUE_UPDATED'],
  },
  {
    name: 'notion',
    apiBase: 'https://api.notion.com/v1',
    weight: 2,
    tools: [
      { name: 'NOTION_CREATE_PAGE', method: 'POST', path: '/pages' },
      { name: 'NOTION_QUERY_DATABASE', method: 'POST', path: '/databases/8e2c5a0b/query' },
    ],
    triggers: ['NOTION_PAGE_UPDATED'],
  },
  {
    name: 'github',
    apiBase: 'https://api.github.com',
    weight: 2,
    tools: [
      { name: 'GITHUB_CREATE_ISSUE', method: 'POST', path: '/repos/acme/app/issues' },
      { name: 'GITHUB_LIST_PULL_REQUESTS', method: 'GET', path: '/repos/acme/app/pulls' },
    ],
    triggers: ['GITHUB_PULL_REQUEST_OPENED'],
  },
  {
    name: 'zendesk',
    apiBase: 'https://acme.zendesk.com/api/v2',
    weight: 2,
    tools: [
      { name: 'ZENDESK_CREATE_TICKET', method: 'POST', path: '/tickets' },
      { name: 'ZENDESK_UPDATE_TICKET', method: 'PATCH', path: '/tickets/48213' },
    ],
    triggers: ['ZENDESK_TICKET_CREATED'],
  },
  {
    name: 'gmail',
    apiBase: 'https://gmail.googleapis.com/gmail/v1',
    weight: 2,
    tools: [
      { name: 'GMAIL_SEND_EMAIL', method: 'POST', path: '/users/me/messages/send' },
      { name: 'GMAIL_SEARCH_EMAILS', method: 'GET', path: '/users/me/messages' },
    ],
    triggers: ['GMAIL_NEW_EMAIL'],
  },
  {
    name: 'asana',
    apiBase: 'https://app.asana.com/api/1.0',
    weight: 1,
    tools: [
      { name: 'ASANA_CREATE_TASK', method: 'POST', path: '/tasks' },
      { name: 'ASANA_UPDATE_TASK', method: 'PUT', path: '/tasks/1204553' },
    ],
    triggers: ['ASANA_TASK_COMPLETED'],
  },
];

/** Internal steps of the platform inside a tool call (`tooltrace.kind = internal`). */
export const INTERNAL_STEPS = [
  'load_credentials',
  'validate_parameters',
  'refresh_oauth_token',
  'rate_limit_wait',
  'map_result',
  'paginate',
] as const;

/** Provider error answers: HTTP status, platform error code, message, provider detail. */
export const PROVIDER_ERRORS = [
  { http: 403, code: '41070', message: 'Unable to update record', detail: 'Team not authorized', ecode: 'OAUTH_027' },
  { http: 401, code: '40101', message: 'Credentials expired', detail: 'invalid_grant', ecode: 'OAUTH_011' },
  { http: 429, code: '42901', message: 'Rate limited by provider', detail: 'ratelimited', ecode: 'RATE_002' },
  { http: 404, code: '40401', message: 'Record not found', detail: 'NOT_FOUND', ecode: 'REQ_404' },
  { http: 500, code: '50002', message: 'Provider error', detail: 'internal_error', ecode: 'PROV_500' },
  { http: 400, code: '40002', message: 'Invalid parameters', detail: 'INVALID_FIELD', ecode: 'REQ_400' },
] as const;

export const WEBHOOK_URLS = [
  'https://hooks.customer-app.io/paragon/events',
  'https://api.acme-agents.com/webhooks/actionkit',
  'https://ingest.example-crm.com/v2/hooks/8f3b2c1d',
] as const;
