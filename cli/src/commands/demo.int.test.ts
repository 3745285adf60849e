/** `tooltrace demo` as a user runs it: a separate process sending to a running collector. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorHarness, startCollectorHarness } from '../demo/testing/collector-harness.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/tooltrace.js');
const run = (args: string[]) => promisify(execFile)(process.execPath, [BIN, ...args], { encoding: 'utf8' });

let h: CollectorHarness;
beforeAll(async () => {
  h = await startCollectorHarness();
});
afterAll(() => h?.close());

describe('tooltrace demo', () => {
  it('when pointed at a running collector, then it reports what it sent and the store holds exactly that', async () => {
    const { stdout } = await run(['demo', '--collector', h.collectorUrl, '--key', h.ingestKey]);
    const [, toolCalls, triggerEvents] = /^demo {7}done: (\d+) tool calls, (\d+) trigger events$/m.exec(stdout) ?? [];
    expect(Number(toolCalls)).toBeGreaterThan(0);
    const stored = await h.store.listToolCalls(h.projectId, {}, { limit: 500 });
    expect(stored.items).toHaveLength(Number(toolCalls));
    const events = await h.store.listTriggerEvents(h.projectId, {}, { limit: 500 });
    expect(events.items).toHaveLength(Number(triggerEvents));
  });

  it('when the collector URL is not an http URL, then it exits 1 naming the option', async () => {
    const failure = await run(['demo', '--collector', 'localhost:4318', '--key', 'k']).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/--collector must be an http\(s\) URL/);
  });
});
