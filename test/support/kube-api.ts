// A real Kubernetes API server for tests: etcd and kube-apiserver (built by
// scripts/tools.d/20-kube-control-plane.sh into .tools/bin), started on free loopback ports with
// everything in one mkdtemp folder, and stopped and removed again.
//
// There is no controller-manager, scheduler or kubelet: objects are stored, validated and admitted
// (PodSecurity, schema, CRD validation, server-side apply), but nothing runs. Two consequences
// the callers handle: no `default` ServiceAccount appears in a new namespace (the ServiceAccount
// admission plugin wants one for a Pod), and Deployments never become ready.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TOOLS_DIR } from './tools.js';

export interface KubeApi {
  /** https://127.0.0.1:<port> */
  readonly server: string;
  /** An admin kubeconfig (user in system:masters), for kubectl and the Pulumi provider. */
  readonly kubeconfig: string;
  /** The folder everything lives in (etcd data, certificates, logs). */
  readonly dir: string;
  /** Runs kubectl against this server; never throws on a non-zero exit. */
  kubectl(args: readonly string[], input?: string): KubectlResult;
  /** Stops both processes and removes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

export interface KubectlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function binary(name: 'etcd' | 'kube-apiserver'): string {
  const path = join(TOOLS_DIR, 'bin', name);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${name} is not installed (expected at ${path}): run \`npm run tools\``);
  }
  return path;
}

/** A port nothing listens on right now (the kernel's pick). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tail(path: string, lines = 30): string {
  if (!existsSync(path)) return '(no log)';
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

function startProcess(file: string, args: string[], log: string): ChildProcess {
  const fd = openSync(log, 'a');
  const child = spawn(file, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return child;
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killed = sleep(20_000).then(() => child.kill('SIGKILL'));
  await Promise.race([exited, killed]);
  await exited;
}

/** GET over HTTPS without verifying the certificate (only to poll /readyz before the CA is known). */
function get(url: string, token: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', rejectUnauthorized: false, headers: { authorization: `Bearer ${token}` }, timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

async function waitFor(what: string, ready: () => Promise<boolean>, child: ChildProcess, log: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(log)}`);
    }
    if (await ready()) return;
    await sleep(250);
  }
  throw new Error(`${what} was not ready after ${timeoutMs / 1000}s:\n${tail(log)}`);
}

/**
 * Starts etcd and kube-apiserver on loopback. The apiserver makes its own self-signed serving
 * certificate (in `<dir>/certs`, used as the kubeconfig's CA); the service-account signing key
 * pair is generated here; the admin authenticates with a static token (group system:masters,
 * RBAC authorization).
 */
export async function startKubeApi(): Promise<KubeApi> {
  const etcdBin = binary('etcd');
  const apiserverBin = binary('kube-apiserver');
  const dir = mkdtempSync(join(tmpdir(), 'polyglot-kube-api-'));
  const certs = join(dir, 'certs');
  mkdirSync(certs);
  let etcd: ChildProcess | undefined;
  let apiserver: ChildProcess | undefined;
  let stopped = false;
  const onExit = () => {
    // The test process is going away without stop(): do not leave servers behind.
    etcd?.kill('SIGKILL');
    apiserver?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    await stopProcess(apiserver);
    await stopProcess(etcd);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const [clientPort, peerPort, securePort] = [await freePort(), await freePort(), await freePort()];
    const etcdUrl = `http://127.0.0.1:${clientPort}`;
    const etcdLog = join(dir, 'etcd.log');
    etcd = startProcess(
      etcdBin,
      [
        '--name=polyglot-test',
        `--data-dir=${join(dir, 'etcd')}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
        `--initial-cluster=polyglot-test=http://127.0.0.1:${peerPort}`,
        // A throw-away store: durability buys nothing and fsync is slow on a loaded disk.
        '--unsafe-no-fsync',
        '--log-level=warn',
      ],
      etcdLog,
    );
    await waitFor(
      'etcd',
      async () => {
        try {
          const res = await fetch(`${etcdUrl}/health`);
          return res.ok && ((await res.json()) as { health?: string }).health === 'true';
        } catch {
          return false;
        }
      },
      etcd,
      etcdLog,
      60_000,
    );

    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(certs, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(certs, 'sa.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const token = randomBytes(24).toString('hex');
    writeFileSync(join(certs, 'tokens.csv'), `${token},polyglot-admin,polyglot-admin,"system:masters"\n`, { mode: 0o600 });

    const server = `https://127.0.0.1:${securePort}`;
    const apiserverLog = join(dir, 'kube-apiserver.log');
    apiserver = startProcess(
      apiserverBin,
      [
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${securePort}`,
        `--cert-dir=${certs}`, // no --tls-cert-file: the apiserver writes a self-signed pair here
        `--token-auth-file=${join(certs, 'tokens.csv')}`,
        '--authorization-mode=RBAC',
        `--service-account-key-file=${join(certs, 'sa.pub')}`,
        `--service-account-signing-key-file=${join(certs, 'sa.key')}`,
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        '--service-cluster-ip-range=10.96.0.0/16',
        // Privileged containers are refused by the apiserver itself unless allowed; allowing them
        // leaves the refusal to PodSecurity admission, which is what the tests are about.
        '--allow-privileged=true',
        '--profiling=false',
        '--v=0',
      ],
      apiserverLog,
    );
    await waitFor('kube-apiserver', async () => (await get(`${server}/readyz`, token)) === 200, apiserver, apiserverLog, 180_000);

    const ca = join(certs, 'apiserver.crt');
    if (!existsSync(ca)) throw new Error(`kube-apiserver wrote no self-signed certificate at ${ca}`);
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: polyglot-test',
        '  cluster:',
        `    server: ${server}`,
        `    certificate-authority-data: ${readFileSync(ca).toString('base64')}`,
        'users:',
        '- name: polyglot-admin',
        '  user:',
        `    token: ${token}`,
        'contexts:',
        '- name: polyglot-test',
        '  context: { cluster: polyglot-test, user: polyglot-admin }',
        'current-context: polyglot-test',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    const kubectl = (args: readonly string[], input?: string): KubectlResult => {
      // --cache-dir: kubectl keeps its discovery cache in ~/.kube/cache otherwise, outside the test's folder.
      const run = spawnSync('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'kube-cache'), ...args], {
        input,
        encoding: 'utf8',
        timeout: 300_000,
        maxBuffer: 256 * 1024 * 1024,
      });
      if (run.error) throw new Error(`could not run kubectl ${args.join(' ')}: ${run.error.message}`);
      return { code: run.status, stdout: run.stdout, stderr: run.stderr };
    };
    // The serving certificate must verify against the CA the kubeconfig names.
    const version = kubectl(['version', '-o', 'json']);
    if (version.code !== 0) throw new Error(`kubectl cannot talk to the test apiserver:\n${version.stderr}\n${tail(apiserverLog)}`);
    return { server, kubeconfig, dir, kubectl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
