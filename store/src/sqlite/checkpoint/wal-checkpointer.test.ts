/**
 * Background WAL checkpoints: the WAL stays bounded while writes go on (so the
 * writer really restarts it), every write is kept, inline and with the writer
 * in its own thread; a thread that fails hands checkpoints back to SQLite.
 * With the writer in a thread of its own, writes back to back never leave the
 * checkpoint thread a moment with every frame copied, so those restarts are
 * the writer's own pass after a commit (without it, that test sees none).
 */
import fs from 'node:fs';
import { lineLogger, silentLogger } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { toolCallTrace } from '../../conformance/fixtures.ts';
import { openDatabase } from '../connection.ts';
import { openSqliteStore, type SqliteStoreOptions } from '../index.ts';
import { tempStores } from '../testing/temp-stores.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';

const { newFile, track } = tempStores();

/** Small, so the thread's restarts show within a few hundred small writes. */
const RESTART_FRAMES = 50;

/** The WAL header's salts: SQLite draws new ones each time it starts the WAL over from its beginning. */
function walSalts(file: string): string {
  const header = Buffer.alloc(8);
  const fd = fs.openSync(`${file}-wal`, 'r');
  try {
    fs.readSync(fd, header, 0, 8, 16);
  } finally {
    fs.closeSync(fd);
  }
  return header.toString('hex');
}

/**
 * Writes small traces back to back (a busy collector), until the WAL has been started over `restarts` times or
 * `maxWrites` were written, and says how many restarts it saw.
 */
async function writeUntilRestarts(
  options: Pick<SqliteStoreOptions, 'writer' | 'backgroundCheckpoints'>,
  restarts: number,
  maxWrites: number,
) {
  const file = newFile();
  const store = track(openSqliteStore({ path: file, retentionSweepIntervalMs: 0, ...options }));
  const { project } = await store.createProject({ name: 'wal', plan: 'enterprise' });
  let logs = 0;
  let seen = 0;
  let salts: string | null = null;
  for (let i = 0; i < maxWrites && seen < restarts; i += 1) {
    const trace = toolCallTrace({ at: Date.now() - i }, 60);
    await store.write(project.projectId, trace.batch);
    logs += trace.logs.length;
    const now = walSalts(file);
    if (salts !== null && now !== salts) seen += 1;
    salts = now;
  }
  const stored = (await store.retentionStatus(project.projectId)).logCount;
  return { logs, stored, restarts: seen };
}

describe('background WAL checkpoints', () => {
  for (const writer of ['inline', 'worker'] as const) {
    it(`start the WAL over again and again while writes go on, and keep every write (${writer} writer)`, async () => {
      // Without a pass of the thread the WAL would restart only after SQLite's 10 000 frames: hundreds of these writes.
      const { logs, stored, restarts } = await writeUntilRestarts(
        { writer, backgroundCheckpoints: { intervalMs: 50, restartFrames: RESTART_FRAMES } },
        3,
        5000,
      );
      expect(restarts).toBe(3);
      expect(stored).toBe(logs);
    });
  }

  it('are off by default inline: SQLite checkpoints at its own threshold, so 250 small writes never restart the WAL', async () => {
    const { logs, stored, restarts } = await writeUntilRestarts({ writer: 'inline' }, 1, 250);
    expect(restarts).toBe(0);
    expect(stored).toBe(logs);
  });

  it("turn SQLite's own auto-checkpoint off only once the thread runs", async () => {
    const db = openDatabase(newFile(), 1000);
    const checkpointer = new WalCheckpointer(db, db.name, silentLogger);
    await expect.poll(() => db.pragma('wal_autocheckpoint', { simple: true }), { timeout: 30_000 }).toBe(0);
    expect(checkpointer.inBackground).toBe(true);
    await checkpointer.stop();
    db.close();
  });

  it('hand checkpoints back to SQLite when the thread fails, and say so', async () => {
    const db = openDatabase(newFile(), 1000);
    const warnings: string[] = [];
    const logger = lineLogger(({ level, message }) => level === 'warn' && warnings.push(message));
    const failing = new WalCheckpointer(db, db.name, logger, {
      module: new URL('../testing/failing-checkpoint-worker.ts', import.meta.url),
    });
    await expect.poll(() => failing.inBackground, { timeout: 30_000 }).toBe(false);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    expect(warnings).toEqual(['WAL checkpoint thread failed; checkpoints run in the committing thread again']);
    await failing.stop();
    db.close();
  });
});
