/**
 * The error-groups read (DESIGN §6): failed calls grouped by `errorGroup`,
 * largest first, each with its latest call as the sample and a trend over the
 * request's range. One GROUP BY for the groups, then per group one indexed
 * lookup of the latest call and one of its trend.
 */
import { checkErrorGroups, trendBucket } from '../request-checks.ts';
import type { ErrorGroupSummary, ErrorGroupsRequest, ToolCallFilters } from '../store.ts';
import { toolCallWhere } from './filters.ts';
import type { ToolCallRow } from './rows.ts';
import type { Statements } from './statements.ts';

interface GroupRow {
  error_group: string;
  count: number;
  user_count: number;
  first_seen: number;
  last_seen: number;
}

export function errorGroups(
  s: Statements,
  projectId: string,
  filters: ToolCallFilters,
  request: ErrorGroupsRequest,
): ErrorGroupSummary[] {
  checkErrorGroups(request);
  if (filters.status === 'success') return [];
  const w = toolCallWhere(projectId, { ...filters, status: 'error' });
  const where = [...w.where, 't.error_group IS NOT NULL'].join(' AND ');
  const groups = s.all<GroupRow>(
    `SELECT t.error_group AS error_group, COUNT(*) AS count, COUNT(DISTINCT t.user_id) AS user_count,
       MIN(t.started_at) AS first_seen, MAX(t.started_at) AS last_seen
     FROM ${w.from} WHERE ${where} GROUP BY t.error_group ORDER BY count DESC, last_seen DESC, error_group LIMIT ?`,
    ...w.params,
    request.limit,
  );
  const latestSql = `SELECT t.* FROM ${w.from} WHERE ${where} AND t.error_group = ?
    ORDER BY t.started_at DESC, t.trace_id DESC, t.span_id DESC LIMIT 1`;
  const timesSql = `SELECT t.started_at AS time FROM ${w.from} WHERE ${where} AND t.error_group = ?
    AND t.started_at >= ? AND t.started_at < ?`;
  return groups.map((g) => {
    const latest = s.one<ToolCallRow>(latestSql, ...w.params, g.error_group)!;
    const trend = new Array<number>(request.buckets).fill(0);
    for (const { time } of s.all<{ time: number }>(timesSql, ...w.params, g.error_group, request.from, request.to)) {
      const bucket = trendBucket(request, time);
      if (bucket >= 0) trend[bucket]! += 1;
    }
    return {
      errorGroup: g.error_group,
      integration: latest.integration,
      toolName: latest.tool_name,
      errorCategory: latest.error_category,
      errorCode: latest.error_code,
      httpStatus: latest.http_status,
      sampleMessage: latest.error_message,
      count: g.count,
      userCount: g.user_count,
      firstSeen: g.first_seen,
      lastSeen: g.last_seen,
      sampleTraceId: latest.trace_id,
      trend,
    };
  });
}
