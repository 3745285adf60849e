import { limitsFor } from '@tooltrace/conventions';
import type { Project, Store } from '@tooltrace/store';
import { type ApiRoute, defineRoute } from '../route.ts';
import { RetentionPreview, RetentionStatus, RetentionUpdateBody } from '../schemas.ts';
import { isoTime } from '../serialise.ts';
import type { RouteDeps } from './deps.ts';

async function retentionOf(store: Store, project: Project) {
  const status = await store.retentionStatus(project.projectId);
  return {
    projectId: project.projectId,
    projectName: project.name,
    plan: status.plan,
    limits: status.limits,
    logCount: status.logCount,
    logsDropped: status.logsDropped,
    oldestLogAt: status.oldestLogAtMs === null ? null : isoTime(status.oldestLogAtMs),
    ageRetention: status.ageRetention,
  };
}

export function retentionRoutes({ store }: RouteDeps): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/project/retention',
      summary: "The project's plan, retention limits, log count and logs dropped so far",
      auth: true,
      ok: { description: 'retention status', schema: RetentionStatus },
      handle: (_input, { project }) => retentionOf(store, project),
    }),
    defineRoute({
      method: 'post',
      path: '/api/v1/project/retention/preview',
      summary: 'How many logs a plan or limits change would delete now, without changing anything',
      description:
        'Takes the body of PUT /project/retention and answers the exact number of logs (and traces) retention would ' +
        'delete at once under those limits: the same rules, whole traces, oldest first. Read or admin key: nothing changes.',
      auth: true,
      body: RetentionUpdateBody,
      ok: { description: 'what the change would delete now', schema: RetentionPreview },
      async handle({ body }, { project }) {
        const limits = limitsFor(body.plan, body.limits);
        const [run, status] = await Promise.all([
          store.previewRetention(project.projectId, limits),
          store.retentionStatus(project.projectId),
        ]);
        return { plan: body.plan, limits, logCount: status.logCount, ...run };
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/project/retention',
      summary: "Changes the project's plan (and, for enterprise, its limits)",
      description:
        'Admin key only (a read key answers 403 admin_key_required). Retention applies the new limits at once.',
      auth: 'admin',
      body: RetentionUpdateBody,
      ok: { description: 'the retention status after the change', schema: RetentionStatus },
      async handle({ body }, { project }) {
        const updated = await store.setPlan(project.projectId, body.plan, body.limits);
        return retentionOf(store, updated);
      },
    }),
  ];
}
