/**
 * Retention runs of the SQLite store beyond the one step a write does: a backlog a write found, worked
 * off in the background; `enforceRetention` over one or all projects; the timer sweep. Every run goes in
 * short transactions (one `step` each) and yields to the event loop between them, so the collector and
 * the query API sharing the process keep answering while a big cut runs.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { errorFields, type Logger } from '@tooltrace/conventions';
import type { RetentionRun } from '../store.ts';
import type { RetentionStep } from './retention.ts';

export interface RetentionRunsDeps {
  /** One bounded step for a project, in its own transaction (throws when the store is closed or unusable). */
  step(projectId: string, now: number): RetentionStep;
  now(): number;
  logger: Logger;
  file: string;
}

export class RetentionRuns {
  /** A timer sweep is still working off a big cut; the next tick does not start a second one. */
  private sweeping = false;
  /** Projects whose retention backlog, found by a write, is being worked off in the background. */
  private readonly backlogs = new Set<string>();

  constructor(private readonly deps: RetentionRunsDeps) {}

  /** Works off a project's backlog in the background, once at a time per project. */
  workOffBacklog(projectId: string): void {
    if (this.backlogs.has(projectId)) return;
    this.backlogs.add(projectId);
    this.enforceProject(projectId, this.deps.now())
      // A failed run (the store closed, the file locked past the busy timeout) is resumed by the next write or sweep.
      .catch((error: unknown) => {
        this.deps.logger.warn(
          { ...errorFields(error), projectId, file: this.deps.file },
          'retention backlog run failed; the next write or sweep resumes it',
        );
      })
      .finally(() => this.backlogs.delete(projectId));
  }

  /**
   * Retention for one project in as many short transactions as it takes. Each step is atomic and deletes
   * whole traces. The first step runs before the returned promise is first awaited, so a small cut is done
   * at once.
   */
  async enforceProject(projectId: string, now: number): Promise<RetentionRun> {
    const total: RetentionRun = { tracesDeleted: 0, logsDeleted: 0 };
    for (;;) {
      const step = this.deps.step(projectId, now);
      total.tracesDeleted += step.tracesDeleted;
      total.logsDeleted += step.logsDeleted;
      if (!step.more) return total;
      await nextTurn();
    }
  }

  async enforceProjects(ids: readonly string[], at: number): Promise<RetentionRun> {
    const total: RetentionRun = { tracesDeleted: 0, logsDeleted: 0 };
    for (const [i, id] of ids.entries()) {
      if (i > 0) await nextTurn();
      const run = await this.enforceProject(id, at);
      total.tracesDeleted += run.tracesDeleted;
      total.logsDeleted += run.logsDeleted;
    }
    return total;
  }

  /** One timer tick: `run` (every project, then tidying up) unless the previous tick is still running. */
  async sweepOnce(run: () => Promise<void>): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await run();
    } catch (error) {
      // A failed sweep (e.g. the file locked for longer than the busy timeout) is retried on the next tick.
      this.deps.logger.warn(
        { ...errorFields(error), file: this.deps.file },
        'retention sweep failed; retried on the next tick',
      );
    } finally {
      this.sweeping = false;
    }
  }
}
