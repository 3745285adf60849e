/**
 * Projects and their hashed keys, each in a regular index read by realtime
 * GET (a key or project just written is found at once, without a refresh).
 */

import type { estypes } from '@elastic/elasticsearch';
import {
  type ForwardDestination,
  limitsFor,
  type Plan,
  parsePlan,
  type RedactionRules,
  type RetentionLimits,
} from '@tooltrace/conventions';
import type { IngestStatusDocument } from '../ingest-status.ts';
import { generateKey, generateProjectId, hashKey, KEY_ROLES, roleOfKey } from '../keys.ts';
import { checkRedactionRules, storedRedactionRules } from '../redaction-rules.ts';
import { checkProjectName } from '../request-checks.ts';
import {
  type KeyRole,
  type Project,
  ProjectNotFoundError,
  type ProjectWithKeys,
  type ReportedDestinationStatus,
} from '../store.ts';
import { type Cluster, isNotFound, raceBackoff } from './cluster.ts';
import { deleteMatching } from './deletes.ts';
import { PROJECTS_PAGE, projectsPageRequest } from './queries.ts';

export interface ProjectDocument {
  projectId: string;
  name: string;
  plan: Plan;
  limits: RetentionLimits;
  createdAt: string;
  logsDropped: number;
  /** The project's forwarding destinations (`destinations.ts`); absent until one is added. */
  forwarding?: ForwardDestination[];
  /** The collector's last status report of each destination, by ID (`destinations.ts`). */
  forwardingStatus?: Record<string, ReportedDestinationStatus>;
  /** The project's own redaction rules; absent until set. */
  redactionRules?: RedactionRules;
  /** The project's ingest status (../ingest-status.ts); absent until something arrived. */
  ingest?: IngestStatusDocument;
}

interface KeyDocument {
  projectId: string;
  role: KeyRole;
  createdAt: string;
}

export function projectFromDocument(doc: ProjectDocument): Project {
  return { projectId: doc.projectId, name: doc.name, plan: doc.plan, limits: doc.limits, createdAt: doc.createdAt };
}

export async function createProject(
  cluster: Cluster,
  input: { name: string; plan: Plan; limits?: Partial<RetentionLimits> },
): Promise<ProjectWithKeys> {
  const plan = parsePlan(input.plan);
  const doc: ProjectDocument = {
    projectId: generateProjectId(),
    name: checkProjectName(input.name),
    plan,
    limits: limitsFor(plan, input.limits),
    createdAt: new Date(cluster.now()).toISOString(),
    logsDropped: 0,
  };
  // Project and key changes are rare: `true` refreshes their small index at once, where
  // `wait_for` would wait up to a refresh interval (1 s) per document.
  await cluster.client.create({ index: cluster.names.projects, id: doc.projectId, document: doc, refresh: true });
  return issueKeys(cluster, doc);
}

/** A new ingest, read and admin key for the project; its old keys stop working. */
export async function issueKeys(cluster: Cluster, doc: ProjectDocument): Promise<ProjectWithKeys> {
  const keys = { ingest: generateKey('ingest'), read: generateKey('read'), admin: generateKey('admin') };
  const createdAt = new Date(cluster.now()).toISOString();
  const keyIds: string[] = [];
  for (const role of KEY_ROLES) {
    const id = hashKey(keys[role]).toString('hex');
    keyIds.push(id);
    const document: KeyDocument = { projectId: doc.projectId, role, createdAt };
    // Authentication reads keys by realtime GET: no refresh needed per key.
    await cluster.client.create({ index: cluster.names.keys, id, document });
  }
  // Old keys go only after the new ones exist, so the project is never without a key; the
  // refresh makes every key written so far visible to the search that finds the old ones.
  await cluster.client.indices.refresh({ index: cluster.names.keys });
  await deleteMatching(cluster, [cluster.names.keys], {
    bool: { filter: [{ term: { projectId: doc.projectId } }], must_not: [{ ids: { values: keyIds } }] },
  });
  // Authentication reads keys by realtime GET; the refresh is for searches of a project's key roles.
  await cluster.client.indices.refresh({ index: cluster.names.keys });
  return { project: projectFromDocument(doc), ingestKey: keys.ingest, readKey: keys.read, adminKey: keys.admin };
}

/** The roles the project holds a key for. */
export async function keyRolesOf(cluster: Cluster, projectId: string): Promise<KeyRole[]> {
  await projectDocument(cluster, projectId);
  const response = await cluster.client.search<KeyDocument>({
    index: cluster.names.keys,
    query: { bool: { filter: [{ term: { projectId } }] } },
    size: 100,
  });
  const held = new Set(response.hits.hits.map((hit) => hit._source?.role));
  return KEY_ROLES.filter((role) => held.has(role));
}

export async function findProject(cluster: Cluster, projectId: string): Promise<ProjectDocument | null> {
  if (typeof projectId !== 'string' || projectId.length === 0 || projectId.length > 200) return null;
  try {
    const response = await cluster.client.get<ProjectDocument>({ index: cluster.names.projects, id: projectId });
    return response.found && response._source ? response._source : null;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export async function projectDocument(cluster: Cluster, projectId: string): Promise<ProjectDocument> {
  const doc = await findProject(cluster, projectId);
  if (!doc) throw new ProjectNotFoundError(projectId);
  return doc;
}

/** Every project, oldest first, paged with `search_after` (no 10 000-hit ceiling). */
export async function allProjectDocuments(cluster: Cluster): Promise<ProjectDocument[]> {
  const projects: ProjectDocument[] = [];
  let after: estypes.SortResults | undefined;
  for (;;) {
    const response = await cluster.client.search<ProjectDocument>(projectsPageRequest(cluster.names, after));
    const hits = response.hits.hits;
    for (const hit of hits) projects.push(hit._source as ProjectDocument);
    const last = hits.at(-1);
    if (!last || hits.length < PROJECTS_PAGE) return projects;
    after = last.sort;
  }
}

export async function authenticate(cluster: Cluster, key: string): Promise<{ project: Project; role: KeyRole } | null> {
  if (typeof key !== 'string' || roleOfKey(key) === null) return null;
  let found: KeyDocument | undefined;
  try {
    const response = await cluster.client.get<KeyDocument>({
      index: cluster.names.keys,
      id: hashKey(key).toString('hex'),
    });
    found = response.found ? response._source : undefined;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (!found || found.role !== roleOfKey(key)) return null;
  const project = await findProject(cluster, found.projectId);
  return project ? { project: projectFromDocument(project), role: found.role } : null;
}

/** Stores the new plan and limits; returns the updated document (retention is the caller's next step). */
export async function storePlan(
  cluster: Cluster,
  projectId: string,
  plan: Plan,
  limits?: Partial<RetentionLimits>,
): Promise<ProjectDocument> {
  const resolved = limitsFor(parsePlan(plan), limits);
  const doc = await projectDocument(cluster, projectId);
  await cluster.client.update({
    index: cluster.names.projects,
    id: projectId,
    doc: { plan, limits: resolved },
    refresh: true,
  });
  return { ...doc, plan, limits: resolved };
}

/**
 * Adds to the project's count of logs removed by retention, without
 * scripting: read (realtime GET) → write the sum back only if the document is
 * unchanged since (`if_seq_no`/`if_primary_term`), re-read on a lost race.
 */
const COUNTER_ROUNDS = 100;

export async function addLogsDropped(cluster: Cluster, projectId: string, n: number): Promise<void> {
  // Every concurrent writer wins one round, so the bound grows with how many may race (sweeps, setPlan, writes).
  for (let round = 0; round < COUNTER_ROUNDS; round++) {
    if (round > 0) await raceBackoff(Math.min(round, 6));
    const read = await cluster.client.get<ProjectDocument>({ index: cluster.names.projects, id: projectId });
    if (!read._source || typeof read._seq_no !== 'number' || typeof read._primary_term !== 'number') {
      throw new ProjectNotFoundError(projectId);
    }
    try {
      await cluster.client.update({
        index: cluster.names.projects,
        id: projectId,
        doc: { logsDropped: (read._source.logsDropped ?? 0) + n },
        if_seq_no: read._seq_no,
        if_primary_term: read._primary_term,
        refresh: true,
      });
      return;
    } catch (error) {
      if ((error as { meta?: { statusCode?: number } })?.meta?.statusCode !== 409) throw error;
    }
  }
  throw new Error(`logsDropped of project ${projectId} kept changing under concurrent writers`);
}

export async function readRedactionRules(cluster: Cluster, projectId: string): Promise<RedactionRules> {
  return storedRedactionRules((await projectDocument(cluster, projectId)).redactionRules ?? null);
}

export async function storeRedactionRules(
  cluster: Cluster,
  projectId: string,
  rules: RedactionRules,
): Promise<RedactionRules> {
  const checked = checkRedactionRules(rules);
  await projectDocument(cluster, projectId);
  await cluster.client.update({
    index: cluster.names.projects,
    id: projectId,
    doc: { redactionRules: checked },
    refresh: 'wait_for',
  });
  return checked;
}
