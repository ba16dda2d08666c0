import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** One measured process: wall time from spawn to exit, CPU of its whole tree, peak RSS. */
export interface ProcessMeasure {
  readonly wallSeconds: number;
  /** User + system CPU seconds of the process and every descendant it waited for, threads
   * included (getrusage of the reaped tree, read through bash's `times`). */
  readonly cpuSeconds: number;
  /** Peak of the summed RSS of the process tree, sampled every 20 ms from /proc. */
  readonly peakRssMB: number;
  readonly stdout: string;
  readonly stderr: string;
}

const PAGE_KB = 4; // x86-64 and arm64 Linux pages

/**
 * Runs `command` through bash, which reports the CPU time of its reaped children (`times`) when the
 * command has exited: that covers node's worker threads and any tool it ran (buf, Graphviz). A
 * non-zero exit rejects with the end of stderr.
 */
export async function measureProcess(command: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ProcessMeasure> {
  const t0 = performance.now();
  const proc = spawn('bash', ['-c', '"$@"; status=$?; times >&2; exit $status', 'bash', ...command], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 600_000,
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let peakKB = 0;
  const sampler = setInterval(() => (peakKB = Math.max(peakKB, treeRssKB(proc.pid))), 20);
  const status = await new Promise<number | string | null>((done) => proc.on('close', (code, signal) => done(code ?? signal)));
  const wallSeconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const lines = stderr.trimEnd().split('\n');
  const children = lines.at(-1) ?? '';
  const body = lines.slice(0, -2).join('\n');
  if (status !== 0) throw new Error(`${command.join(' ')} failed (exit ${status}):\n${body.slice(-4000)}`);
  return { wallSeconds, cpuSeconds: timesSeconds(children), peakRssMB: peakKB / 1024, stdout, stderr: body };
}

/** `0m1.250s 0m0.125s` (bash `times`, user then system) → 1.375. */
export function timesSeconds(line: string): number {
  const parts = [...line.matchAll(/(\d+)m([\d.]+)s/g)];
  if (parts.length !== 2) throw new Error(`cannot read CPU times from bash's \`times\`: '${line}'`);
  return parts.reduce((sum, [, minutes, seconds]) => sum + Number(minutes) * 60 + Number(seconds), 0);
}

/** Resident memory of a process and all its descendants, in kB (0 once it is gone). */
export function treeRssKB(root: number | undefined): number {
  if (root === undefined) return 0;
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after "(comm)": state ppid … rss is the 24th field overall, in pages.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      rss.set(pid, Number(fields[21]) * PAGE_KB || 0);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    total += rss.get(pid) ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}
