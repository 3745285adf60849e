/**
 * A SQLite writer worker for crash tests: dies on a batch holding a log named
 * `crash-the-writer` (../../writer-thread/testing/crash-on-marked-batch.ts);
 * everything else goes to the real writer worker, loaded in the same thread.
 */
import { crashOnMarkedBatch } from '../../writer-thread/testing/crash-on-marked-batch.ts';

crashOnMarkedBatch();
await import('../writer/writer-worker.ts');
