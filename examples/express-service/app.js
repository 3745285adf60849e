// The service itself: an ActionKit-style tool API. No tooltrace code here: `main-register.js` runs it
// under `--import @tooltrace/instrumentation/register`, `main-sdk.js` adds the SDK's middleware.
import http from 'node:http';
import express from 'express';
import { listen } from './provider.js';

export class ToolError extends Error {
  constructor(message, { code, status, details }) {
    super(message);
    Object.assign(this, { code, status, details });
  }
}

/**
 * @param {{ providerUrl: string, before?: express.RequestHandler[], after?: express.ErrorRequestHandler[], makeError?: (message: string, options: object) => Error }} options
 */
export function createApp({ providerUrl, before = [], after = [], makeError = (m, o) => new ToolError(m, o) }) {
  const app = express();
  app.use(express.json());
  for (const handler of before) app.use(handler);
  app.get('/tools', (_req, res) => {
    res.json({ tools: ['SLACK_SEND_MESSAGE'] });
  });
  app.post('/actions', async (req, res, next) => {
    try {
      const answer = await fetch(`${providerUrl}/api/chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(req.body.parameters ?? {}),
      });
      const body = await answer.json();
      if (!answer.ok) throw makeError('Unable to send message', { code: 41070, status: 500, details: body });
      res.json(body);
    } catch (error) {
      next(error);
    }
  });
  for (const handler of after) app.use(handler);
  // Without the SDK's error handler: a plain ActionKit-style body.
  app.use((error, _req, res, _next) => {
    res.status(error.status ?? 500).json({ message: error.message, code: String(error.code ?? 50000), status: 500 });
  });
  return listen(http.createServer(app));
}

/** What a caller (an AI agent) does: list the tools, send a message that works and one that fails. */
export async function callTools(serviceUrl, userId) {
  const calls = [];
  const call = async (name, path, init) => {
    const response = await fetch(`${serviceUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', 'x-user-id': userId },
    });
    calls.push({
      name,
      status: response.status,
      requestId: response.headers.get('x-request-id'),
      body: await response.json(),
    });
  };
  await call('list_tools', '/tools', { method: 'GET' });
  const send = (channel) => ({
    method: 'POST',
    body: JSON.stringify({
      action: 'SLACK_SEND_MESSAGE',
      integration: 'slack',
      parameters: { channel, text: 'hello' },
    }),
  });
  await call('send ok', '/actions', send('#general'));
  await call('send fails', '/actions', send('#private'));
  return calls;
}
