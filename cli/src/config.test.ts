import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      dataDir: path.resolve('./data'),
      collectorPort: 4318,
      grpcPort: 4317,
      apiPort: 8080,
      host: '127.0.0.1',
      demo: true,
      store: 'sqlite',
      maxInflightBytes: 256 * 1024 * 1024,
      maxRetryAfterSeconds: 8,
      apiRateLimit: 1200,
      serve: 'all',
    });
  });

  it('when values are set, then they are coerced and used', () => {
    const config = loadConfig({ TOOLTRACE_API_PORT: '0', TOOLTRACE_DEMO: 'off', TOOLTRACE_DATA_DIR: '/tmp/x' });
    expect(config.apiPort).toBe(0);
    expect(config.demo).toBe(false);
    expect(config.dataDir).toBe('/tmp/x');
    expect(loadConfig({ TOOLTRACE_SERVE: 'collector' }).serve).toBe('collector');
    expect(loadConfig({ TOOLTRACE_MAX_RETRY_AFTER_SECONDS: '1' }).maxRetryAfterSeconds).toBe(1);
  });

  it.each([
    ['TOOLTRACE_COLLECTOR_PORT', '70000'],
    ['TOOLTRACE_GRPC_PORT', 'grpc'],
    ['TOOLTRACE_API_PORT', 'eighty'],
    ['TOOLTRACE_DEMO', 'yes'],
    ['TOOLTRACE_STORE', 'postgres'],
    ['ELASTICSEARCH_URL', 'not a url'],
    ['TOOLTRACE_MAX_INFLIGHT_BYTES', '-1'],
    ['TOOLTRACE_MAX_RETRY_AFTER_SECONDS', '0'],
    ['TOOLTRACE_DECODE_WORKERS', 'many'],
    ['TOOLTRACE_API_RATE_LIMIT', '0'],
    ['TOOLTRACE_FORWARD_ALLOW_PRIVATE', 'yes'],
    ['TOOLTRACE_FORWARD_MAX_QUEUE_BYTES', '0'],
    ['TOOLTRACE_FORWARD_MAX_QUEUE_AGE_SECONDS', 'a day'],
    ['TOOLTRACE_SERVE', 'both'],
  ])('when %s=%s, then the error names the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('when the demo is off, then forwarding to private addresses is off unless asked for', () => {
    expect(loadConfig({ TOOLTRACE_DEMO: 'off' }).forwarding.allowPrivate).toBe(false);
    expect(loadConfig({}).forwarding.allowPrivate).toBe(true);
    expect(loadConfig({ TOOLTRACE_FORWARD_ALLOW_PRIVATE: 'off' }).forwarding.allowPrivate).toBe(false);
    expect(loadConfig({ TOOLTRACE_DEMO: 'off', TOOLTRACE_FORWARD_ALLOW_PRIVATE: 'on' }).forwarding).toMatchObject({
      allowPrivate: true,
      maxQueueBytes: 256 * 1024 * 1024,
      maxQueueAgeMs: 86_400_000,
      outboxPath: path.resolve('./data/forwarding-outbox.db'),
    });
  });

  it('when TOOLTRACE_API_RATE_LIMIT is a number or off, then it is the per-key limit per minute or none', () => {
    expect(loadConfig({ TOOLTRACE_API_RATE_LIMIT: '6000' }).apiRateLimit).toBe(6000);
    expect(loadConfig({ TOOLTRACE_API_RATE_LIMIT: 'off' }).apiRateLimit).toBeNull();
  });

  it('when elasticsearch is chosen without a URL, then ELASTICSEARCH_URL is named', () => {
    expect(() => loadConfig({ TOOLTRACE_STORE: 'elasticsearch' })).toThrow(/ELASTICSEARCH_URL/);
  });
});
