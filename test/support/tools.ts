// Paths to, and thin runners for, the external tools the tests check generated output with.
// `scripts/install-tools.sh` (run by `npm run tools` and by `npm test`'s pretest) installs them
// into <repo>/.tools. A missing tool is an error, never a reason to skip a test.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_KUBERNETES_VERSION } from '../../constructs/core/kubernetes-version.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOOLS_DIR = join(REPO_ROOT, '.tools');
/** The Kubernetes version the generated manifests are validated against: the one they are written
 * for by default (scripts/install-tools.sh installs that schema set; test/tools.integ.test.ts
 * holds the two pins together). */
export const KUBERNETES_VERSION = `${DEFAULT_KUBERNETES_VERSION}.0`;

export type ToolName = 'nats-server' | 'kubeconform' | 'kube-linter' | 'kube-score' | 'otelcol' | 'buf' | 'psa-check' | 'yaml-to-json';

const BINARIES: Record<ToolName, string> = {
  'nats-server': join(TOOLS_DIR, 'bin', 'nats-server'),
  kubeconform: join(TOOLS_DIR, 'bin', 'kubeconform'),
  'kube-linter': join(TOOLS_DIR, 'bin', 'kube-linter'),
  otelcol: join(TOOLS_DIR, 'bin', 'otelcol-polyglot'),
  buf: join(REPO_ROOT, 'node_modules', '.bin', 'buf'),
  'psa-check': join(TOOLS_DIR, 'bin', 'psa-check'),
  'kube-score': join(TOOLS_DIR, 'bin', 'kube-score'),
  'yaml-to-json': join(TOOLS_DIR, 'bin', 'yaml-to-json'),
};

const SCHEMA_DIRS = {
  kubernetes: join(TOOLS_DIR, 'schemas', 'kubernetes'),
  crds: join(TOOLS_DIR, 'schemas', 'crds'),
} as const;

function missing(what: string, path: string): Error {
  return new Error(`${what} is not installed (expected at ${path}): run \`npm run tools\``);
}

/** Absolute path of a tool's binary; throws (naming the tool) when it is not installed. */
export function toolPath(name: ToolName): string {
  const path = BINARIES[name];
  try {
    accessSync(path, constants.X_OK); // follows the .tools/bin symlink into the cache
  } catch {
    throw missing(name, path);
  }
  return path;
}

function schemaDir(name: keyof typeof SCHEMA_DIRS): string {
  const dir = SCHEMA_DIRS[name];
  if (!existsSync(dir)) throw missing(`${name} JSON schemas`, dir);
  return dir;
}

/**
 * kubeconform arguments: strict mode, the Kubernetes strict schemas of KUBERNETES_VERSION (from the PyPI package
 * kubernetes-validate) and the NACK CRD schemas (jetstream.nats.io Stream, Consumer, …).
 */
export function kubeconformArgs(): string[] {
  const k8s = schemaDir('kubernetes');
  const crds = schemaDir('crds');
  return [
    '-strict',
    '-kubernetes-version',
    KUBERNETES_VERSION,
    '-schema-location',
    `${k8s}/{{ .NormalizedKubernetesVersion }}-local{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
    '-schema-location',
    `${crds}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
  ];
}

export interface RunResult {
  /** Process exit code (null when killed by a signal). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a tool without throwing on a non-zero exit; throws only when it cannot be started. */
export function runTool(
  name: ToolName,
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const file = toolPath(name);
  return new Promise((resolvePromise, reject) => {
    execFile(
      file,
      [...args],
      {
        cwd: options.cwd ?? REPO_ROOT,
        timeout: options.timeoutMs ?? 120_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          // spawn failure (ENOENT, EACCES…) or killed (timeout)
          if (error.killed || error.signal) {
            resolvePromise({ code: null, stdout, stderr: `${stderr}\n${name} killed (${error.signal ?? 'timeout'})` });
          } else {
            reject(new Error(`${name} could not be run (${file}): ${error.message}`));
          }
          return;
        }
        resolvePromise({ code: error ? (error.code as number) : 0, stdout, stderr });
      },
    );
  });
}

export interface KubeconformResource {
  filename: string;
  kind: string;
  name: string;
  version: string;
  status: string;
  msg: string;
  validationErrors?: { path: string; msg: string }[];
}

export interface KubeconformSummary {
  valid: number;
  invalid: number;
  errors: number;
  skipped: number;
}

export interface KubeconformResult {
  /** true when kubeconform exited 0 with no invalid resource and no error (e.g. missing schema). */
  ok: boolean;
  /** Raw stdout + stderr, for assertion messages. */
  output: string;
  summary: KubeconformSummary;
  /** Resources that were not valid (kubeconform's json output lists only those). */
  resources: KubeconformResource[];
}

/** Validates manifest files with kubeconform (strict, KUBERNETES_VERSION + NACK CRDs). */
export async function runKubeconform(files: string[]): Promise<KubeconformResult> {
  if (files.length === 0) throw new Error('runKubeconform: no files given');
  const { code, stdout, stderr } = await runTool('kubeconform', [
    ...kubeconformArgs(),
    '-output',
    'json',
    '-summary',
    ...files,
  ]);
  const output = `${stdout}${stderr}`;
  let parsed: { resources?: KubeconformResource[]; summary?: KubeconformSummary };
  try {
    parsed = JSON.parse(stdout) as typeof parsed;
  } catch {
    throw new Error(`kubeconform did not print JSON (exit ${code}):\n${output}`);
  }
  if (!parsed.summary) throw new Error(`kubeconform printed no summary (exit ${code}):\n${output}`);
  const summary = parsed.summary;
  return {
    ok: code === 0 && summary.invalid === 0 && summary.errors === 0,
    output,
    summary,
    resources: parsed.resources ?? [],
  };
}

export interface KubeLinterReport {
  check: string;
  message: string;
  remediation: string;
  kind: string;
  name: string;
  namespace: string;
  file: string;
}

export interface KubeLinterResult {
  /** true when kube-linter exited 0 (no lint error). */
  ok: boolean;
  output: string;
  reports: KubeLinterReport[];
}

interface KubeLinterJson {
  Reports?: {
    Check: string;
    Remediation?: string;
    Diagnostic?: { Message?: string };
    Object?: {
      Metadata?: { FilePath?: string };
      K8sObject?: { Namespace?: string; Name?: string; GroupVersionKind?: { Kind?: string } };
    };
  }[] | null;
}

/**
 * Lints manifest files or folders with kube-linter's default checks, plus `<repo>/.kube-linter.yaml`
 * when it exists (or the given config). Fails when no object could be parsed.
 */
export async function runKubeLinter(
  paths: string[],
  options: { config?: string } = {},
): Promise<KubeLinterResult> {
  if (paths.length === 0) throw new Error('runKubeLinter: no paths given');
  const config = options.config ?? join(REPO_ROOT, '.kube-linter.yaml');
  const args = ['lint', '--format', 'json', '--fail-if-no-objects-found', '--with-color=false'];
  if (options.config !== undefined || existsSync(config)) args.push('--config', config);
  const { code, stdout, stderr } = await runTool('kube-linter', [...args, ...paths]);
  const output = `${stdout}${stderr}`;
  let parsed: KubeLinterJson;
  try {
    parsed = JSON.parse(stdout) as KubeLinterJson;
  } catch {
    throw new Error(`kube-linter did not print JSON (exit ${code}):\n${output}`);
  }
  const reports = (parsed.Reports ?? []).map((r) => ({
    check: r.Check,
    message: r.Diagnostic?.Message ?? '',
    remediation: r.Remediation ?? '',
    kind: r.Object?.K8sObject?.GroupVersionKind?.Kind ?? '',
    name: r.Object?.K8sObject?.Name ?? '',
    namespace: r.Object?.K8sObject?.Namespace ?? '',
    file: r.Object?.Metadata?.FilePath ?? '',
  }));
  return { ok: code === 0 && reports.length === 0, output, reports };
}

export interface KubeScoreResult {
  /** true when kube-score exited 0 and printed no CRITICAL or WARNING line. */
  ok: boolean;
  output: string;
  /** `[CRITICAL] name/namespace kind: (container) message` lines, one per finding. */
  findings: string[];
  /** How many objects were scored (lines of any grade, OK included, name distinct objects). */
  objects: number;
}

/** Scores manifest files with kube-score's default checks, minus the ignored ones. */
export async function runKubeScore(files: string[], ignored: readonly string[] = []): Promise<KubeScoreResult> {
  if (files.length === 0) throw new Error('runKubeScore: no files given');
  const args = ['score', '--output-format', 'ci', '--exit-one-on-warning', ...ignored.flatMap((check) => ['--ignore-test', check]), ...files];
  const { code, stdout, stderr } = await runTool('kube-score', args, { timeoutMs: 300_000 });
  const lines = stdout.split('\n').filter((line) => line.startsWith('['));
  if (lines.length === 0) throw new Error(`kube-score printed no results (exit ${code}):\n${stdout}${stderr}`);
  const findings = lines.filter((line) => line.startsWith('[CRITICAL]') || line.startsWith('[WARNING]'));
  const objects = new Set(lines.map((line) => /^\[[A-Z]+\] ([^:]+):/.exec(line)?.[1])).size;
  return { ok: code === 0 && findings.length === 0, output: `${stdout}${stderr}`, findings, objects };
}
