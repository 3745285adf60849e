/** CPU time and peak memory of another process, from /proc (Linux; the bench's machine). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const answer = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticksPerSecond = Number.isFinite(answer) && answer > 0 ? answer : 100;
  }
  return ticksPerSecond;
}

/** User + system CPU seconds the process (all its threads) has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: the fields that follow start after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc/${pid}/stat`);
  return (utime + stime) / clockTicks();
}

/** The process's peak resident set so far (VmHWM), in kB. */
export function peakRssKb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]);
}

/** One thread's CPU and run-queue time so far (seconds). */
interface ThreadTimes {
  cpu: number;
  /** Time it was ready to run but waited for a core (/proc/…/schedstat; 0 where the kernel does not keep it). */
  waiting: number;
}

/** Every thread of a process and the machine's idle time, at one moment. */
export interface ThreadSnapshot {
  pid: number;
  at: number;
  threads: Map<number, ThreadTimes>;
  /** Idle seconds of all cores together, and their number (/proc/stat). */
  machineIdle: number;
  cores: number;
}

function threadTimes(pid: number, tid: string): ThreadTimes | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / clockTicks();
    let waiting = 0;
    try {
      waiting = Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
    } catch {}
    return { cpu, waiting: Number.isFinite(waiting) ? waiting : 0 };
  } catch {
    return null; // the thread ended between listing and reading
  }
}

export function threadSnapshot(pid: number): ThreadSnapshot {
  const threads = new Map<number, ThreadTimes>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const times = threadTimes(pid, tid);
    if (times) threads.set(Number(tid), times);
  }
  const lines = fs.readFileSync('/proc/stat', 'utf8').split('\n');
  // The "cpu" line sums all cores; idle and iowait are its 4th and 5th numbers.
  const total = lines[0]!.trim().split(/\s+/).slice(1).map(Number);
  const cores = lines.filter((l) => /^cpu\d+ /.test(l)).length;
  return {
    pid,
    at: performance.now(),
    threads,
    machineIdle: ((total[3] ?? 0) + (total[4] ?? 0)) / clockTicks(),
    cores,
  };
}

/** Where a process's threads spent a window, in cores (seconds per second of the window). */
export interface ThreadShares {
  seconds: number;
  /** The thread that started the process: in the collector, HTTP and the query API. */
  main: { cpu: number; waiting: number };
  /** The other threads that ran at least 10 % of the window, busiest first (the writer, then the decode workers). */
  others: { cpu: number; waiting: number }[];
  /** The rest of the process's threads together: V8's helpers (garbage collection, compilers), libuv's. */
  rest: number;
  /** Cores nobody used meanwhile, of `cores`. */
  idle: number;
  cores: number;
}

/** Threads started within the window count from their start; threads that ended within it are not counted. */
export function threadShares(before: ThreadSnapshot, after: ThreadSnapshot): ThreadShares {
  const seconds = (after.at - before.at) / 1000;
  const per = (t: ThreadTimes, b: ThreadTimes | undefined) => ({
    cpu: (t.cpu - (b?.cpu ?? 0)) / seconds,
    waiting: (t.waiting - (b?.waiting ?? 0)) / seconds,
  });
  let main = { cpu: 0, waiting: 0 };
  const others: { cpu: number; waiting: number }[] = [];
  let rest = 0;
  for (const [tid, times] of after.threads) {
    const share = per(times, before.threads.get(tid));
    if (tid === after.pid) main = share;
    else if (share.cpu >= 0.1) others.push(share);
    else rest += share.cpu;
  }
  others.sort((a, b) => b.cpu - a.cpu);
  return { seconds, main, others, rest, idle: (after.machineIdle - before.machineIdle) / seconds, cores: after.cores };
}
