import { DEFAULT_SECRET_KEY_FRAGMENTS, RedactionRulesSchema } from '@tooltrace/conventions';
import { z } from 'zod';
import { type ApiRoute, defineRoute } from '../route.ts';
import type { RouteDeps } from './deps.ts';

const RedactionSettings = z
  .object({
    keys: z.array(z.string()),
    patterns: z.array(z.string()),
    defaultKeys: z.array(z.string()).meta({ description: 'key fragments the collector always redacts' }),
  })
  .meta({ id: 'RedactionSettings' });

export function redactionRoutes({ store }: RouteDeps): ApiRoute[] {
  const settings = async (projectId: string) => ({
    ...(await store.getRedactionRules(projectId)),
    defaultKeys: [...DEFAULT_SECRET_KEY_FRAGMENTS],
  });
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/project/redaction',
      summary: "The project's own redaction rules (key names and RE2 patterns) and the default key fragments",
      auth: true,
      ok: { description: 'redaction rules', schema: RedactionSettings },
      handle: (_input, { project }) => settings(project.projectId),
    }),
    defineRoute({
      method: 'put',
      path: '/api/v1/project/redaction',
      summary: "Replaces the project's own redaction rules",
      description:
        'Admin key only. Patterns use RE2 syntax (linear-time; no backreferences or lookaround); a pattern that does not compile is a 400 naming it. The collector applies new rules within 5 s.',
      auth: 'admin',
      body: RedactionRulesSchema,
      ok: { description: 'the rules after the change', schema: RedactionSettings },
      async handle({ body }, { project }) {
        await store.setRedactionRules(project.projectId, body);
        return settings(project.projectId);
      },
    }),
  ];
}
