/**
 * Forwarding destinations (DESIGN §6, §9): read with the read or admin key,
 * changed and tested with the admin key. Header values are write-only: the
 * answers name the headers, never their values. Status and the test probe
 * come from the collector's forwarding, handed in by the composition root;
 * when the collector runs in another process, status comes from the reports
 * it writes to the store.
 */
import {
  DestinationInputSchema,
  DestinationListSchema,
  DestinationPatchSchema,
  type DestinationStatus,
  type DestinationTestResult,
  DestinationTestResultSchema,
  type DestinationView,
  DestinationViewSchema,
  destinationView,
  type ForwardDestination,
  privateEndpointProblem,
  reportedStatusNow,
} from '@tooltrace/conventions';
import { DestinationNotFoundError } from '@tooltrace/store';
import { z } from 'zod';
import { ApiError, BadRequestError } from '../errors.ts';
import { type ApiRoute, defineRoute } from '../route.ts';
import type { RouteDeps } from './deps.ts';

/** What the API needs of forwarding; absent when the API runs without a collector. */
export interface ForwardingControl {
  /** TOOLTRACE_FORWARD_ALLOW_PRIVATE. */
  allowPrivate: boolean;
  /** Live status from the collector in this process; absent when it runs in another (the store's reports then). */
  status?(destination: ForwardDestination): DestinationStatus;
  test(destination: ForwardDestination): Promise<DestinationTestResult>;
  /** The project's destinations changed. */
  invalidate(projectId: string): void;
}

const Params = z.object({ id: z.string().min(1).max(100).meta({ description: 'destination ID (dst_…)' }) });
const PATH = '/api/v1/forwarding/destinations';
const WHAT = 'Changing forwarding destinations';

export function forwardingRoutes({ store, forwarding }: RouteDeps): ApiRoute[] {
  const liveStatus = forwarding?.status?.bind(forwarding);
  const views = async (projectId: string, list: ForwardDestination[]) => {
    if (liveStatus) return list.map((d) => destinationView(d, liveStatus(d)));
    const reports = await store.destinations.reportedStatus(projectId);
    return list.map((d) => destinationView(d, reportedStatusNow(d.enabled, reports[d.id], Date.now())));
  };
  const view = async (d: ForwardDestination) => (await views(d.projectId, [d]))[0] as DestinationView;
  const checkReachable = (endpoint: string | undefined) => {
    const problem = endpoint && privateEndpointProblem(endpoint, forwarding?.allowPrivate ?? false);
    if (problem) throw new BadRequestError(`body field "endpoint": ${problem}`, 'invalid_destination');
  };
  /** A create or update: the endpoint checked first, the collector told after, the result as the API shows it. */
  const save = async (projectId: string, endpoint: string | undefined, write: () => Promise<ForwardDestination>) => {
    checkReachable(endpoint);
    const saved = await write();
    forwarding?.invalidate(projectId);
    return view(saved);
  };
  const find = async (projectId: string, id: string) => {
    const destination = await store.destinations.get(projectId, id);
    if (!destination) throw new DestinationNotFoundError(id);
    return destination;
  };
  return [
    defineRoute({
      method: 'get',
      path: PATH,
      summary: "The project's forwarding destinations with their live status (header values are never returned)",
      auth: true,
      ok: { description: 'the destinations, oldest first', schema: DestinationListSchema },
      handle: async (_input, { project }) => ({
        items: await views(project.projectId, await store.destinations.list(project.projectId)),
      }),
    }),
    defineRoute({
      method: 'post',
      path: PATH,
      summary: 'Adds a forwarding destination (admin key)',
      description: `${WHAT} needs the admin key. /v1/traces and /v1/logs are appended to the endpoint.`,
      auth: 'admin',
      body: DestinationInputSchema,
      ok: { description: 'the destination as stored', schema: DestinationViewSchema },
      handle: ({ body }, { project }) =>
        save(project.projectId, body.endpoint, () => store.destinations.create(project.projectId, body)),
    }),
    defineRoute({
      method: 'get',
      path: `${PATH}/{id}`,
      summary: 'One forwarding destination with its live status',
      auth: true,
      params: Params,
      ok: { description: 'the destination', schema: DestinationViewSchema },
      handle: async ({ params }, { project }) => view(await find(project.projectId, params.id)),
    }),
    defineRoute({
      method: 'patch',
      path: `${PATH}/{id}`,
      summary: 'Changes a forwarding destination (admin key); `headers`, when given, replaces them all',
      auth: 'admin',
      params: Params,
      body: DestinationPatchSchema,
      ok: { description: 'the destination after the change', schema: DestinationViewSchema },
      handle: ({ params, body }, { project }) =>
        save(project.projectId, body.endpoint, () => store.destinations.update(project.projectId, params.id, body)),
    }),
    defineRoute({
      method: 'delete',
      path: `${PATH}/{id}`,
      summary: 'Deletes a forwarding destination and what is queued for it (admin key)',
      auth: 'admin',
      params: Params,
      ok: { description: 'deleted', schema: z.object({ deleted: z.literal(true) }) },
      async handle({ params }, { project }) {
        if (!(await store.destinations.delete(project.projectId, params.id))) {
          throw new DestinationNotFoundError(params.id);
        }
        forwarding?.invalidate(project.projectId);
        return { deleted: true as const };
      },
    }),
    defineRoute({
      method: 'post',
      path: `${PATH}/{id}/test`,
      summary: 'Sends one marked span to the destination and reports its answer (admin key)',
      auth: 'admin',
      params: Params,
      ok: { description: "the destination's answer", schema: DestinationTestResultSchema },
      async handle({ params }, { project }) {
        const destination = await find(project.projectId, params.id);
        if (!forwarding) throw new ApiError(503, 'forwarding_unavailable', 'forwarding does not run in this process');
        return forwarding.test(destination);
      },
    }),
  ];
}
