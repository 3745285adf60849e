/** The human report: tables and a text chart on stdout. */
import type { ThreadShares } from '../peers/proc.ts';
import type { QueryResult } from '../phases/query.ts';

export function table(headers: string[], rows: (string | number)[][], alignLeft = 1): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) =>
    r.map((cell, c) => (c < alignLeft ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const fmt = {
  ms: (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x.toFixed(1)) : '—'),
  rate: (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—'),
  mb: (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '—'),
  s: (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '—'),
};

/** p99 of each query against its goal: the bar is 20 characters at the goal, `|` marks it. */
export function p99Chart(queries: readonly QueryResult[]): string {
  const width = Math.max(...queries.map((q) => q.name.length));
  return queries
    .map((q) => {
      if (!Number.isFinite(q.p99)) return `${q.name.padEnd(width)}  (failed)`;
      const units = Math.min(60, Math.round((q.p99 / q.goalP99Ms) * 20));
      const bar = Array.from({ length: Math.max(units, 21) }, (_, i) =>
        i === 20 ? '|' : i < units ? (i < 20 ? '█' : '▓') : ' ',
      ).join('');
      return `${q.name.padEnd(width)}  ${bar} ${fmt.ms(q.p99)} / ${q.goalP99Ms} ms`;
    })
    .join('\n');
}

/**
 * One line of where a process's threads spent a window, in cores: each busy thread's CPU with the time it
 * waited for a core in brackets, then V8's and libuv's helpers, then what the machine left idle.
 */
export function describeThreads(t: ThreadShares): string {
  const one = ({ cpu, waiting }: { cpu: number; waiting: number }) =>
    `${cpu.toFixed(2)} (+${waiting.toFixed(2)} waiting)`;
  const busiest = t.others.map(one).join(', ') || 'none';
  return `main ${one(t.main)}; busiest others ${busiest}; helpers ${t.rest.toFixed(2)}; machine idle ${t.idle.toFixed(2)} of ${t.cores} cores (${t.seconds.toFixed(1)} s)`;
}
