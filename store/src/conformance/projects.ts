import { InvalidPlanError, InvalidRedactionRuleError, PLAN_LIMITS, type Plan } from '@tooltrace/conventions';
import { describe, expect, it } from 'vitest';
import { ProjectNotFoundError } from '../store.ts';
import type { ConformanceContext } from './context.ts';

export function projectsConformance(ctx: ConformanceContext): void {
  describe('projects and keys', () => {
    it('creates a project with its plan limits and three keys of the documented prefixes', async () => {
      const created = await ctx.store.createProject({ name: 'acme', plan: 'trial' });
      expect(created.project).toMatchObject({ name: 'acme', plan: 'trial', limits: PLAN_LIMITS.trial });
      expect(created.ingestKey).toMatch(/^tt_ingest_[A-Za-z0-9_-]{40,}$/);
      expect(created.readKey).toMatch(/^tt_read_[A-Za-z0-9_-]{40,}$/);
      expect(created.adminKey).toMatch(/^tt_admin_[A-Za-z0-9_-]{40,}$/);
      expect(new Set([created.ingestKey, created.readKey, created.adminKey]).size).toBe(3);
      expect(await ctx.store.keyRoles(created.project.projectId)).toEqual(['ingest', 'read', 'admin']);
      expect(Number.isNaN(Date.parse(created.project.createdAt))).toBe(false);
      expect(await ctx.store.getProject(created.project.projectId)).toEqual(created.project);
    });

    it('lists every project and returns null for an unknown one', async () => {
      const a = await ctx.store.createProject({ name: 'a', plan: 'trial' });
      const b = await ctx.store.createProject({ name: 'b', plan: 'pro' });
      const listed = await ctx.store.listProjects();
      expect(listed.map((p) => p.projectId)).toEqual(
        expect.arrayContaining([a.project.projectId, b.project.projectId]),
      );
      expect(listed.find((p) => p.projectId === b.project.projectId)).toEqual(b.project);
      expect(await ctx.store.getProject('prj_does_not_exist')).toBeNull();
    });

    it('rejects an unknown plan and custom limits outside enterprise', async () => {
      await expect(ctx.store.createProject({ name: 'x', plan: 'gold' as Plan })).rejects.toThrow(InvalidPlanError);
      await expect(ctx.store.createProject({ name: 'x', plan: 'trial', limits: { maxLogs: 10 } })).rejects.toThrow(
        InvalidPlanError,
      );
      await expect(
        ctx.store.createProject({ name: 'x', plan: 'enterprise', limits: { maxAgeDays: -1 } }),
      ).rejects.toThrow(InvalidPlanError);
    });

    it('authenticates each key with its role and project', async () => {
      const created = await ctx.store.createProject({ name: 'acme', plan: 'pro' });
      const ingest = await ctx.store.authenticate(created.ingestKey);
      const read = await ctx.store.authenticate(created.readKey);
      const admin = await ctx.store.authenticate(created.adminKey);
      expect(ingest).toEqual({ project: created.project, role: 'ingest' });
      expect(read).toEqual({ project: created.project, role: 'read' });
      expect(admin).toEqual({ project: created.project, role: 'admin' });
    });

    it('refuses unknown, altered, truncated, empty and SQL-ish keys', async () => {
      const { ingestKey } = await ctx.store.createProject({ name: 'acme', plan: 'pro' });
      const altered = `${ingestKey.slice(0, -1)}${ingestKey.endsWith('A') ? 'B' : 'A'}`;
      for (const key of [altered, ingestKey.slice(0, -2), `${ingestKey} `, '', 'tt_ingest_', "' OR 1=1 --", '%']) {
        expect(await ctx.store.authenticate(key), key).toBeNull();
      }
      // A read key's secret presented with the ingest prefix is not an ingest key.
      const created = await ctx.store.createProject({ name: 'b', plan: 'pro' });
      const swapped = `tt_ingest_${created.readKey.slice('tt_read_'.length)}`;
      expect(await ctx.store.authenticate(swapped)).toBeNull();
      // Nor is a read key's secret under the admin prefix an admin key: the role is not the caller's to claim.
      expect(await ctx.store.authenticate(`tt_admin_${created.readKey.slice('tt_read_'.length)}`)).toBeNull();
    });

    it('rotating keys invalidates the old ones and issues working new ones', async () => {
      const created = await ctx.store.createProject({ name: 'acme', plan: 'pro' });
      const rotated = await ctx.store.rotateKeys(created.project.projectId);
      expect(rotated.project.projectId).toBe(created.project.projectId);
      expect(rotated.ingestKey).not.toBe(created.ingestKey);
      expect(rotated.readKey).not.toBe(created.readKey);
      expect(rotated.adminKey).not.toBe(created.adminKey);
      expect(await ctx.store.authenticate(created.ingestKey)).toBeNull();
      expect(await ctx.store.authenticate(created.readKey)).toBeNull();
      expect(await ctx.store.authenticate(created.adminKey)).toBeNull();
      expect((await ctx.store.authenticate(rotated.ingestKey))?.role).toBe('ingest');
      expect((await ctx.store.authenticate(rotated.readKey))?.role).toBe('read');
      expect((await ctx.store.authenticate(rotated.adminKey))?.role).toBe('admin');
      expect(await ctx.store.keyRoles(created.project.projectId)).toEqual(['ingest', 'read', 'admin']);
      await expect(ctx.store.keyRoles('prj_does_not_exist')).rejects.toThrow(ProjectNotFoundError);
      await expect(ctx.store.rotateKeys('prj_does_not_exist')).rejects.toThrow(ProjectNotFoundError);
    });

    it('rotating one project leaves the keys of another working', async () => {
      const a = await ctx.store.createProject({ name: 'a', plan: 'pro' });
      const b = await ctx.store.createProject({ name: 'b', plan: 'pro' });
      await ctx.store.rotateKeys(a.project.projectId);
      expect((await ctx.store.authenticate(b.ingestKey))?.project.projectId).toBe(b.project.projectId);
    });

    it('sets a plan: fixed limits for trial/pro, custom or default limits for enterprise', async () => {
      const id = await ctx.project('trial');
      expect((await ctx.store.setPlan(id, 'pro')).limits).toEqual(PLAN_LIMITS.pro);
      const custom = await ctx.store.setPlan(id, 'enterprise', { maxAgeDays: 90, maxLogs: 5_000_000 });
      expect(custom).toMatchObject({ plan: 'enterprise', limits: { maxAgeDays: 90, maxLogs: 5_000_000 } });
      const ageOnly = await ctx.store.setPlan(id, 'enterprise', { maxAgeDays: 365, maxLogs: null });
      expect(ageOnly.limits).toEqual({ maxAgeDays: 365, maxLogs: null });
      expect(await ctx.store.getProject(id)).toEqual(ageOnly);
      const status = await ctx.store.retentionStatus(id);
      expect(status).toMatchObject({ plan: 'enterprise', limits: { maxAgeDays: 365, maxLogs: null } });
    });

    it('refuses bad plans and limits without changing the project', async () => {
      const id = await ctx.project('pro');
      await expect(ctx.store.setPlan(id, 'trial', { maxAgeDays: 3 })).rejects.toThrow(InvalidPlanError);
      await expect(ctx.store.setPlan(id, 'enterprise', { maxLogs: -5 })).rejects.toThrow(InvalidPlanError);
      await expect(ctx.store.setPlan(id, 'enterprise', { maxAgeDays: 1.5 })).rejects.toThrow(InvalidPlanError);
      await expect(ctx.store.setPlan(id, 'platinum' as Plan)).rejects.toThrow(InvalidPlanError);
      await expect(ctx.store.setPlan('prj_does_not_exist', 'pro')).rejects.toThrow(ProjectNotFoundError);
      expect(await ctx.store.getProject(id)).toMatchObject({ plan: 'pro', limits: PLAN_LIMITS.pro });
    });

    it('keeps a project’s own redaction rules, refuses bad ones without changing what is stored', async () => {
      const id = await ctx.project('pro');
      const other = await ctx.project('pro');
      expect(await ctx.store.getRedactionRules(id)).toEqual({ keys: [], patterns: [] });
      const rules = { keys: ['ssn', 'x-internal-auth'], patterns: ['acct_[0-9]{6}'] };
      expect(await ctx.store.setRedactionRules(id, rules)).toEqual(rules);
      expect(await ctx.store.getRedactionRules(id)).toEqual(rules);
      expect(await ctx.store.getRedactionRules(other)).toEqual({ keys: [], patterns: [] });
      await expect(ctx.store.setRedactionRules(id, { keys: [], patterns: ['(?<=x)a'] })).rejects.toThrow(
        /"\(\?<=x\)a" is not a valid RE2 expression/,
      );
      await expect(ctx.store.setRedactionRules(id, { keys: ['--'], patterns: [] })).rejects.toThrow(
        InvalidRedactionRuleError,
      );
      expect(await ctx.store.getRedactionRules(id)).toEqual(rules);
      await expect(ctx.store.getRedactionRules('prj_does_not_exist')).rejects.toThrow(ProjectNotFoundError);
      await expect(ctx.store.setRedactionRules('prj_does_not_exist', rules)).rejects.toThrow(ProjectNotFoundError);
    });

    it('rejects writes to an unknown project', async () => {
      await expect(
        ctx.store.write('prj_does_not_exist', { toolCalls: [], triggers: [], deliveryAttempts: [], logs: [] }),
      ).rejects.toThrow(ProjectNotFoundError);
    });
  });
}
