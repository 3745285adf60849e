// A fake integration provider (Slack's chat.postMessage), so the example needs no account:
// posting to #general works; any other channel answers 403 with Slack's error body.
import http from 'node:http';

export function startFakeProvider() {
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const { channel } = JSON.parse(text || '{}');
      res.setHeader('content-type', 'application/json');
      if (channel === '#general') {
        res.end(JSON.stringify({ ok: true, channel, ts: '1700000000.000100' }));
      } else {
        res.statusCode = 403;
        res.end(JSON.stringify({ ok: false, error: 'not_in_channel', channel }));
      }
    });
  });
  return listen(server);
}

/** Listens on an ephemeral port; resolves to { url, close }. */
export function listen(server) {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}
