import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, urlHost } from './listen.ts';

const servers: ReturnType<typeof createServer>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});
const server = () => {
  const s = createServer((_req, res) => res.end('ok'));
  servers.push(s);
  return s;
};

describe('listen', () => {
  it('when asked for port 0, then it resolves with the port picked and a URL that answers', async () => {
    const { port, url } = await listen(server(), 0, '127.0.0.1');
    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(url)).text()).toBe('ok');
  });

  it('when the port is taken, then it rejects with the bind error', async () => {
    const { port } = await listen(server(), 0, '127.0.0.1');
    await expect(listen(server(), port, '127.0.0.1')).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('brackets IPv6 hosts in URLs', () => {
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('localhost')).toBe('localhost');
  });
});
