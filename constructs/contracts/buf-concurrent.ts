import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { bufBinary, bufEnv, bufResult, runBuf, type BufOutcome, type BufRun, type RawBufResult } from './buf.js';

/** How long synth waits for buf before giving up, as {@link runBuf} does for one run. */
const TIMEOUT_MS = 60_000;

/**
 * The worker: starts every buf run at once, collects what each printed, posts the results and
 * raises the `done` flag the main thread blocks on. Plain JavaScript evaluated as is, so it needs
 * no TypeScript loader whether polyglot runs from source or from its build.
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { spawn } = require('node:child_process');
const { binary, env, runs, port, done, timeoutMs } = workerData;
const one = ({ args, cwd, stdin }) =>
  new Promise((resolve) => {
    const child = spawn(binary, args, { cwd, env, timeout: timeoutMs });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', (error) => resolve({ error: error.message }));
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
    child.stdin.on('error', () => {}); // buf may exit before reading all of stdin: its status says why
    child.stdin.end(stdin ?? '');
  });
Promise.all(runs.map(one))
  .then((results) => port.postMessage({ results }), (error) => port.postMessage({ error: String(error) }))
  .finally(() => {
    const flag = new Int32Array(done);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  });
`;

/** buf runs under way; `wait()` blocks until all are done and returns their outcomes in order. */
export interface PendingBufRuns {
  wait(): BufOutcome[];
}

/**
 * Starts several buf commands side by side and returns at once; synth is synchronous (as cdk8s
 * requires), so `wait()` blocks. After a proto change buf lint and buf breaking each compile the
 * module: one after the other they took 0.24 s of wall at 10 services and 2 s at 1000; side by
 * side, on two cores, about as long as the slower one, and started early they run while synth
 * does the rest. A thread starts the processes and waits for them (about 30 ms of CPU), so a
 * single command runs when it is waited for, on this thread.
 */
export function startBufRuns(runs: readonly BufRun[]): PendingBufRuns {
  const binary = bufBinary();
  if (runs.length < 2 || !binary) return { wait: () => runs.map((run) => runBuf(run.args, run.cwd, run.stdin)) };
  const done = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { binary, env: bufEnv(), runs: runs.map((run) => ({ ...run, args: [...run.args, '--error-format=json'] })), port: port2, done, timeoutMs: TIMEOUT_MS },
    transferList: [port2],
  });
  return {
    wait() {
      try {
        // The processes are killed at TIMEOUT_MS; a little more for the thread to report it.
        if (Atomics.wait(new Int32Array(done), 0, 0, TIMEOUT_MS + 10_000) === 'timed-out') {
          return runs.map((run) => ({ failure: `buf ${run.args[0]} did not finish in ${TIMEOUT_MS / 1000} s` }));
        }
        const message = receiveMessageOnPort(port1)?.message as { results?: RawBufResult[]; error?: string } | undefined;
        if (!message?.results) return runs.map((run) => ({ failure: `buf ${run.args[0]} could not run: ${message?.error ?? 'no result'}` }));
        return message.results.map((result, i) => bufResult(runs[i]!.args, result));
      } finally {
        port1.close();
        void worker.terminate();
      }
    },
  };
}

/** {@link startBufRuns}, waited for at once. */
export function runBufConcurrently(runs: readonly BufRun[]): BufOutcome[] {
  return startBufRuns(runs).wait();
}
