/**
 * The collector's forwarding status, written to the store every few seconds
 * (DESIGN §9), so a query API running in another process (docker compose's
 * separate services over Elasticsearch) shows what only the collector knows.
 * One report per project that forwarded something since start; a failed write
 * is logged and the next tick tries again.
 */
import { type DestinationStatus, errorFields, type ForwardDestination, type Logger } from '@tooltrace/conventions';
import type { DestinationSettings } from '@tooltrace/store';

export interface StatusReportsOptions {
  destinations: Pick<DestinationSettings, 'reportStatus'>;
  /** Projects to report on: those with a destination loop in this process. */
  projects(): Iterable<string>;
  /** The project's destinations, as the forwarding caches them. */
  destinationsOf(projectId: string): Promise<ForwardDestination[]>;
  status(destination: ForwardDestination): DestinationStatus;
  intervalMs: number;
  logger?: Logger;
}

export interface StatusReports {
  /** Writes one report per project now. */
  report(): Promise<void>;
  /** Stops the timer after a last report. */
  close(): Promise<void>;
}

export function startStatusReports(options: StatusReportsOptions): StatusReports {
  const reportProject = async (projectId: string) => {
    try {
      const statuses: Record<string, DestinationStatus> = {};
      for (const destination of await options.destinationsOf(projectId)) {
        statuses[destination.id] = options.status(destination);
      }
      await options.destinations.reportStatus(projectId, statuses);
    } catch (error) {
      options.logger?.warn(
        { ...errorFields(error), projectId },
        'writing the forwarding status to the store failed; a query API in another process shows an older one',
      );
    }
  };
  let running: Promise<void> | null = null;
  const report = () => {
    // One report at a time: a slow store must not pile them up.
    running ??= Promise.all([...options.projects()].map(reportProject)).then(() => {
      running = null;
    });
    return running;
  };
  const timer = options.intervalMs > 0 ? setInterval(() => void report(), options.intervalMs) : null;
  timer?.unref();
  return {
    report,
    async close() {
      if (timer) clearInterval(timer);
      await running;
      await report();
    },
  };
}
