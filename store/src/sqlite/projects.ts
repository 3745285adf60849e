/**
 * Projects and their keys in SQL. Each function runs inside the caller's
 * transaction; keys are stored only as SHA-256 (`../keys.ts`).
 */
import { limitsFor, type Plan, parsePlan, type RedactionRules, type RetentionLimits } from '@tooltrace/conventions';
import { generateKey, generateProjectId, hashesEqual, hashKey, KEY_ROLES, roleOfKey } from '../keys.ts';
import { storedRedactionRules } from '../redaction-rules.ts';
import { checkProjectName } from '../request-checks.ts';
import { type KeyRole, type Project, ProjectNotFoundError, type ProjectWithKeys } from '../store.ts';
import { type ProjectRow, projectFromRow } from './rows.ts';
import type { Statements } from './statements.ts';

export function findProjectRow(s: Statements, projectId: string): ProjectRow | undefined {
  return s.one<ProjectRow>('SELECT * FROM projects WHERE project_id = ?', projectId);
}

export function projectRow(s: Statements, projectId: string): ProjectRow {
  const row = findProjectRow(s, projectId);
  if (!row) throw new ProjectNotFoundError(projectId);
  return row;
}

/** Every project, oldest first. */
export function allProjectRows(s: Statements): ProjectRow[] {
  return s.all<ProjectRow>('SELECT * FROM projects ORDER BY created_at, project_id');
}

export function insertProject(
  s: Statements,
  input: { name: string; plan: Plan; limits?: Partial<RetentionLimits> },
  now: number,
): ProjectWithKeys {
  const name = checkProjectName(input.name);
  const limits = limitsFor(parsePlan(input.plan), input.limits);
  const projectId = generateProjectId();
  s.run(
    'INSERT INTO projects (project_id, name, plan, max_age_days, max_logs, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    projectId,
    name,
    input.plan,
    limits.maxAgeDays,
    limits.maxLogs,
    now,
  );
  return issueKeys(s, projectId, now);
}

/** Replaces the project's keys with a new ingest, read and admin key. */
export function replaceKeys(s: Statements, projectId: string, now: number): ProjectWithKeys {
  projectRow(s, projectId);
  s.run('DELETE FROM api_keys WHERE project_id = ?', projectId);
  return issueKeys(s, projectId, now);
}

function issueKeys(s: Statements, projectId: string, now: number): ProjectWithKeys {
  const keys = { ingest: generateKey('ingest'), read: generateKey('read'), admin: generateKey('admin') };
  const insert = 'INSERT INTO api_keys (key_hash, project_id, role, created_at) VALUES (?, ?, ?, ?)';
  for (const role of KEY_ROLES) s.run(insert, hashKey(keys[role]), projectId, role, now);
  const project = projectFromRow(projectRow(s, projectId));
  return { project, ingestKey: keys.ingest, readKey: keys.read, adminKey: keys.admin };
}

export function keyRolesOf(s: Statements, projectId: string): KeyRole[] {
  projectRow(s, projectId);
  const held = new Set(
    s.all<{ role: KeyRole }>('SELECT role FROM api_keys WHERE project_id = ?', projectId).map((r) => r.role),
  );
  return KEY_ROLES.filter((role) => held.has(role));
}

export function authenticateKey(s: Statements, key: string): { project: Project; role: KeyRole } | null {
  if (typeof key !== 'string' || roleOfKey(key) === null) return null;
  const hash = hashKey(key);
  const row = s.one<{ key_hash: Buffer; role: KeyRole } & ProjectRow>(
    `SELECT k.key_hash, k.role, p.* FROM api_keys k JOIN projects p ON p.project_id = k.project_id
     WHERE k.key_hash = ?`,
    hash,
  );
  if (!row || !hashesEqual(row.key_hash, hash) || row.role !== roleOfKey(key)) return null;
  return { project: projectFromRow(row), role: row.role };
}

export function updatePlan(s: Statements, projectId: string, plan: Plan, limits: RetentionLimits): void {
  projectRow(s, projectId);
  s.run(
    'UPDATE projects SET plan = ?, max_age_days = ?, max_logs = ? WHERE project_id = ?',
    plan,
    limits.maxAgeDays,
    limits.maxLogs,
    projectId,
  );
}

export function readRedactionRules(s: Statements, projectId: string): RedactionRules {
  return storedRedactionRules(projectRow(s, projectId).redaction_rules);
}

export function writeRedactionRules(s: Statements, projectId: string, rules: RedactionRules): void {
  projectRow(s, projectId);
  s.run('UPDATE projects SET redaction_rules = ? WHERE project_id = ?', JSON.stringify(rules), projectId);
}
