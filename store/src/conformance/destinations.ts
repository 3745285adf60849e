import { emptyDestinationStatus, InvalidDestinationError } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { MAX_DESTINATIONS_PER_PROJECT } from '../destinations.ts';
import { DestinationNotFoundError, ProjectNotFoundError } from '../store.ts';
import type { ConformanceContext } from './context.ts';

const input = {
  name: 'our collector',
  endpoint: 'https://otel.example.com',
  headers: { 'x-honeycomb-team': 'secret-1' },
};

export function destinationsConformance(ctx: ConformanceContext): void {
  describe('forwarding destinations', () => {
    it('creates a destination with defaults and reads it back whole, headers included', async () => {
      const projectId = await ctx.project();
      const created = await ctx.store.destinations.create(projectId, input);
      expect(created).toMatchObject({
        projectId,
        ...input,
        encoding: 'protobuf',
        compression: 'gzip',
        filter: 'all',
        enabled: true,
      });
      expect(created.id).toMatch(/^dst_/);
      expect(await ctx.store.destinations.get(projectId, created.id)).toEqual(created);
      expect(await ctx.store.destinations.list(projectId)).toEqual([created]);
    });

    it('keeps each project to its own destinations', async () => {
      const a = await ctx.project();
      const b = await ctx.project();
      const created = await ctx.store.destinations.create(a, input);
      expect(await ctx.store.destinations.list(b)).toEqual([]);
      expect(await ctx.store.destinations.get(b, created.id)).toBeNull();
      await expect(ctx.store.destinations.update(b, created.id, { enabled: false })).rejects.toThrow(
        DestinationNotFoundError,
      );
      expect(await ctx.store.destinations.delete(b, created.id)).toBe(false);
      expect(await ctx.store.destinations.get(a, created.id)).toEqual(created);
    });

    it('updates the given fields only; headers are replaced whole', async () => {
      const projectId = await ctx.project();
      const created = await ctx.store.destinations.create(projectId, input);
      const updated = await ctx.store.destinations.update(projectId, created.id, {
        enabled: false,
        filter: 'errors_only',
        headers: { authorization: 'Bearer x' },
      });
      expect(updated).toMatchObject({
        ...input,
        enabled: false,
        filter: 'errors_only',
        headers: { authorization: 'Bearer x' },
      });
      expect(updated.createdAt).toBe(created.createdAt);
      expect(await ctx.store.destinations.get(projectId, created.id)).toEqual(updated);
    });

    it('deletes a destination once', async () => {
      const projectId = await ctx.project();
      const kept = await ctx.store.destinations.create(projectId, { ...input, name: 'kept' });
      const gone = await ctx.store.destinations.create(projectId, { ...input, name: 'gone' });
      expect(await ctx.store.destinations.delete(projectId, gone.id)).toBe(true);
      expect(await ctx.store.destinations.delete(projectId, gone.id)).toBe(false);
      expect(await ctx.store.destinations.delete(projectId, 'not an id')).toBe(false);
      expect(await ctx.store.destinations.list(projectId)).toEqual([kept]);
    });

    it('refuses bad input naming the field, and stores nothing of it', async () => {
      const projectId = await ctx.project();
      await expect(ctx.store.destinations.create(projectId, { ...input, endpoint: 'ftp://x' })).rejects.toThrow(
        /^endpoint: /,
      );
      await expect(ctx.store.destinations.create(projectId, { ...input, headers: { 'a b': '1' } })).rejects.toThrow(
        InvalidDestinationError,
      );
      const created = await ctx.store.destinations.create(projectId, input);
      await expect(ctx.store.destinations.update(projectId, created.id, { filter: 'spans' })).rejects.toThrow(
        /^filter: /,
      );
      expect(await ctx.store.destinations.list(projectId)).toEqual([created]);
    });

    it('keeps the last status report of each destination, replacing the one before', async () => {
      const projectId = await ctx.project();
      const a = await ctx.store.destinations.create(projectId, { ...input, name: 'a' });
      const b = await ctx.store.destinations.create(projectId, { ...input, name: 'b' });
      const c = await ctx.store.destinations.create(projectId, { ...input, name: 'c' });
      expect(await ctx.store.destinations.reportedStatus(projectId)).toEqual({});
      const failing = {
        ...emptyDestinationStatus(true),
        state: 'retrying' as const,
        batchesQueued: 3,
        queueBytes: 1200,
        lagMs: 4000,
        lastError: { at: '2026-01-02T03:04:05.000Z', httpStatus: 503, message: 'HTTP 503: unavailable' },
      };
      await ctx.store.destinations.reportStatus(projectId, { [a.id]: failing, [b.id]: emptyDestinationStatus(true) });
      const sent = { ...emptyDestinationStatus(true), spansSent: 7, lastSuccessAt: '2026-01-02T03:04:09.000Z' };
      await ctx.store.destinations.reportStatus(projectId, { [b.id]: sent });
      const reports = await ctx.store.destinations.reportedStatus(projectId);
      expect(Object.keys(reports).sort()).toEqual([a.id, b.id].sort());
      expect(reports[a.id]?.status).toEqual(failing);
      expect(reports[b.id]?.status).toEqual(sent);
      expect(reports[c.id]).toBeUndefined();
      // The store's clock: the test's (frozen at its start) or real time, for a backend that cannot take one.
      expect(Date.parse(reports[b.id]?.reportedAt ?? '')).toBeGreaterThanOrEqual(ctx.now);
      expect(Date.parse(reports[b.id]?.reportedAt ?? '')).toBeLessThanOrEqual(Date.now() + 1000);
    });

    it('keeps status reports to the project, ignoring unknown and deleted destinations', async () => {
      const projectId = await ctx.project();
      const other = await ctx.project();
      const own = await ctx.store.destinations.create(projectId, input);
      const theirs = await ctx.store.destinations.create(other, input);
      const status = { ...emptyDestinationStatus(true), spansSent: 1 };
      await ctx.store.destinations.reportStatus(projectId, { [own.id]: status, [theirs.id]: status, dst_nope: status });
      expect(Object.keys(await ctx.store.destinations.reportedStatus(projectId))).toEqual([own.id]);
      expect(await ctx.store.destinations.reportedStatus(other)).toEqual({});
      await ctx.store.destinations.delete(projectId, own.id);
      expect(await ctx.store.destinations.reportedStatus(projectId)).toEqual({});
      await ctx.store.destinations.reportStatus('prj_missing', { [own.id]: status });
      expect(await ctx.store.destinations.reportedStatus('prj_missing')).toEqual({});
    });

    it('refuses an unknown project and more than the per-project limit', async () => {
      await expect(ctx.store.destinations.create('prj_missing', input)).rejects.toThrow(ProjectNotFoundError);
      const projectId = await ctx.project();
      for (let i = 0; i < MAX_DESTINATIONS_PER_PROJECT; i++) {
        await ctx.store.destinations.create(projectId, { ...input, name: `d${i}` });
      }
      await expect(ctx.store.destinations.create(projectId, input)).rejects.toThrow(/^destinations: /);
      expect(await ctx.store.destinations.list(projectId)).toHaveLength(MAX_DESTINATIONS_PER_PROJECT);
    });
  });
}
