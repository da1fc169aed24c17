// CPU and memory of a process, read from /proc (Linux): what a benchmark needs to say what limited it.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}

/** CPU time (user + system) the process has used so far, in ms; includes all its threads. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is state (field 3); utime is field 14, stime field 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Measures the CPU share (1.0 = one full core) processes use over a window. */
export class CpuMeter {
  private readonly start: Map<number, number>;
  private readonly startedAt = performance.now();
  private readonly selfStart = process.cpuUsage();

  constructor(private readonly pids: Record<string, number>) {
    this.start = new Map(Object.values(pids).map((pid) => [pid, safeCpu(pid)]));
  }

  /** Cores used per named process (and `bench` for this process) since construction. */
  stop(): Record<string, number> {
    const elapsed = performance.now() - this.startedAt;
    const out: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      out[name] = Math.round(((safeCpu(pid) - this.start.get(pid)!) / elapsed) * 100) / 100;
    }
    const self = process.cpuUsage(this.selfStart);
    out.bench = Math.round(((self.user + self.system) / 1000 / elapsed) * 100) / 100;
    return out;
  }
}

function safeCpu(pid: number): number {
  try {
    return cpuMs(pid);
  } catch {
    return Number.NaN;
  }
}

export const formatCpu = (cpu: Record<string, number>) =>
  Object.entries(cpu)
    .map(([name, cores]) => `${name} ${Math.round(cores * 100)}%`)
    .join(', ');
