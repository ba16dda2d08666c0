// The output directory promise (issue 9): polyglot never destroys what it did not write, keeps
// files users add to its output, and the output is complete, old or new, at every instant, even
// when the process is killed. Every refused case is checked by hashing the whole tree around it
// before and after.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { claimOutputDir, OUTPUT_MARKER, OutputDirError } from '../../constructs/synth/output-dir.js';
import { REPO, polyglot, tempDir } from '../support/cli.js';

const cleanup: string[] = [];
after(() => cleanup.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A small system repository: one TypeScript API and one Go service; `version` changes output. */
function systemDir(version = '1.0.0', extraProps = ''): string {
  const dir = tempDir('polyglot-out-');
  cleanup.push(dir);
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  writeMain(dir, version, extraProps);
  return dir;
}

function writeMain(dir: string, version: string, extraProps = ''): void {
  writeFileSync(
    join(dir, 'main.ts'),
    `import { System, TsApi, GoService } from ${JSON.stringify(join(REPO, 'constructs/index.ts'))};
const system = new System({ name: 'shop', version: '${version}'${extraProps} });
new TsApi(system.domain('edge'), 'gateway', {});
new GoService(system.domain('billing'), 'billing', {});
system.synth();
`,
  );
}

/** Every file and link under `dir` (following nothing), path → content hash. */
function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (current: string, prefix: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) hash.update(`L ${prefix}${name} -> ${readlinkSync(path)}\n`);
      else if (stat.isDirectory()) walk(path, `${prefix}${name}/`);
      else hash.update(`F ${prefix}${name} ${createHash('sha256').update(readFileSync(path)).digest('hex')}\n`);
    }
  };
  walk(dir, '');
  return hash.digest('hex');
}

/** Asserts a refused synth: exit 1, one sentence naming the path, no stack trace, nothing changed. */
function assertRefused(dir: string, args: string[], expected: RegExp, watched = dir, env: Record<string, string> = {}) {
  const before = treeHash(watched);
  const result = polyglot(['synth', dir, ...args], { env });
  assert.equal(result.code, 1, `expected a refusal, got exit ${result.code}\n${result.stdout}${result.stderr}`);
  assert.match(result.stderr, expected);
  assert.doesNotMatch(result.stderr, /node:internal|\n\s+at .*:\d+:\d+/, 'a sentence, not a stack trace');
  assert.equal(treeHash(watched), before, 'nothing written, nothing deleted');
}

test('the system folder and its parents are refused as outdir, before any work', () => {
  const dir = systemDir();
  writeFileSync(join(dir, 'buf.lock'), 'mine');
  assertRefused(dir, ['--outdir', '.'], /refusing to write output to .*: it is the system's own folder/);
  const parent = join(dir, '..');
  // Watch only the system's folder: the shared temp root may change under other programs.
  assertRefused(dir, ['--outdir', '..'], /refusing to write output to .*: it contains the system's own folder/, dir);
});

test('the filesystem root and the home directory are refused', () => {
  const dir = systemDir();
  assertRefused(dir, ['--outdir', '/'], /it is the filesystem root/);
  const home = tempDir('polyglot-home-');
  cleanup.push(home);
  writeFileSync(join(home, '.bashrc'), 'mine');
  assertRefused(dir, ['--outdir', home], /it is your home directory/, home, { HOME: home });
});

test('a folder holding files polyglot did not write is refused and left as it was', () => {
  const dir = systemDir();
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'notes.md'), 'my notes');
  assertRefused(dir, [], /it holds files polyglot did not write \(notes\.md\)/);
});

test('a file, a foreign symbolic link, an unwritable place and a too-long path each get one sentence', () => {
  const dir = systemDir();
  writeFileSync(join(dir, 'out'), 'a file');
  assertRefused(dir, ['--outdir', 'out'], /refusing to write output to .*out: it is a file/);
  mkdirSync(join(dir, 'elsewhere'));
  symlinkSync('elsewhere', join(dir, 'linked'));
  assertRefused(dir, ['--outdir', 'linked'], /it is a symbolic link polyglot did not make/);
  assertRefused(dir, ['--outdir', '/sys/polyglot-test-output'], /cannot write output to \/sys\/polyglot-test-output: (permission denied|the filesystem is read-only)/);
  assertRefused(dir, ['--outdir', `x${'y'.repeat(300)}`], /the path is too long/);
});

test('claimOutputDir: unit cases', () => {
  const dir = systemDir();
  assert.deepEqual(claimOutputDir(join(dir, 'dist'), [dir]), { kind: 'absent' });
  mkdirSync(join(dir, 'empty'));
  assert.deepEqual(claimOutputDir(join(dir, 'empty'), [dir]), { kind: 'empty' });
  assert.throws(() => claimOutputDir(dir, [dir]), OutputDirError);
  assert.throws(() => claimOutputDir(join(dir, '..'), [dir]), OutputDirError);
});

test('a second synth replaces its own files, keeps the files a user added, and says so', () => {
  const dir = systemDir('1.0.0');
  const first = polyglot(['synth', dir]);
  assert.equal(first.code, 0, first.stderr);
  const out = join(dir, 'dist');
  assert.ok(lstatSync(out).isSymbolicLink(), 'dist is a link into the version store');
  writeFileSync(join(out, 'NOTES.md'), 'why we deploy on Tuesdays');
  mkdirSync(join(out, 'overlays'));
  writeFileSync(join(out, 'overlays', 'patch.yaml'), 'kind: Patch\n');
  writeMain(dir, '2.0.0');
  const second = polyglot(['synth', dir]);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(readFileSync(join(out, 'NOTES.md'), 'utf8'), 'why we deploy on Tuesdays');
  assert.equal(readFileSync(join(out, 'overlays', 'patch.yaml'), 'utf8'), 'kind: Patch\n');
  assert.match(readFileSync(join(out, 'shop-billing.k8s.yaml'), 'utf8'), /app\.kubernetes\.io\/version: "?2\.0\.0/);
  assert.match(second.stdout, /kept: 2 files in .* that polyglot did not write, untouched\n {2}NOTES\.md\n {2}overlays\/patch\.yaml/);
  const marker = JSON.parse(readFileSync(join(out, OUTPUT_MARKER), 'utf8')) as { files: string[] };
  assert.ok(!marker.files.includes('NOTES.md'), 'the marker lists only what polyglot wrote');
  assert.equal(readdirSync(join(dir, '.dist.polyglot')).length, 1, 'old versions are removed after the swap');
});

test('the command line outdir wins over SystemProps.outdir, which wins over dist', () => {
  const dir = systemDir('1.0.0', ", outdir: 'from-props'");
  const fromProps = polyglot(['synth', dir]);
  assert.equal(fromProps.code, 0, fromProps.stderr);
  assert.ok(existsSync(join(dir, 'from-props', 'shop-edge.k8s.yaml')));
  assert.match(fromProps.stdout, /files: \d+ in .*from-props/);
  const fromFlag = polyglot(['synth', dir, '--outdir', 'from-flag']);
  assert.equal(fromFlag.code, 0, fromFlag.stderr);
  assert.ok(existsSync(join(dir, 'from-flag', 'shop-edge.k8s.yaml')));
  assert.match(fromFlag.stdout, /files: \d+ in .*from-flag/);
  assert.ok(!existsSync(join(dir, 'dist')));
});

test('a main.ts that never calls synth() fails instead of describing an old output', () => {
  const dir = systemDir();
  assert.equal(polyglot(['synth', dir]).code, 0);
  writeFileSync(join(dir, 'main.ts'), `import { System } from ${JSON.stringify(join(REPO, 'constructs/index.ts'))};\nnew System({ name: 'shop' });\n`);
  const result = polyglot(['synth', dir]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /never called system\.synth\(\), so nothing was written/);
});

/** Runs `polyglot synth` and SIGKILLs it at a failpoint or after `delayMs`. */
function synthKilled(dir: string, kill: { failpoint: string } | { delayMs: number }): Promise<void> {
  return new Promise((resolve) => {
    // A killed synth cannot remove its scratch folder: let it make that in a folder this test removes.
    const scratch = { TMPDIR: tempDir() };
    const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...scratch, ...('failpoint' in kill ? { POLYGLOT_FAILPOINT: kill.failpoint } : {}) };
    const child = spawn(process.execPath, [join(REPO, 'dist/cli/main.js'), 'synth', dir], { env, stdio: 'ignore', detached: true });
    // The CLI runs main.ts in a child of its own: kill the whole process group.
    const timer = 'delayMs' in kill ? setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), kill.delayMs) : undefined;
    child.on('exit', () => {
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // the group is gone
      }
      resolve();
    });
  });
}

/** The output as files polyglot wrote, path → content, checked complete against its marker. */
function completeOutput(out: string): Map<string, string> {
  const marker = JSON.parse(readFileSync(join(out, OUTPUT_MARKER), 'utf8')) as { files: string[] };
  return new Map(marker.files.map((file) => [file, readFileSync(join(out, file), 'utf8')]));
}

test('SIGKILL at any point, the swap included, leaves the complete old or the complete new output', async () => {
  const dir = systemDir('1.0.0');
  assert.equal(polyglot(['synth', dir]).code, 0);
  const out = join(dir, 'dist');
  const old = completeOutput(out);
  writeMain(dir, '2.0.0');
  assert.equal(polyglot(['synth', dir, '--outdir', 'reference']).code, 0);
  const fresh = completeOutput(join(dir, 'reference'));
  writeFileSync(join(out, 'mine.txt'), 'kept');
  const outcomes = { old: 0, new: 0 };
  const kills: ({ failpoint: string } | { delayMs: number })[] = [
    { failpoint: 'staged' },
    { failpoint: 'before-swap' },
    { failpoint: 'swapped' },
    ...[300, 900, 1300, 1700, 2400].map((delayMs) => ({ delayMs })),
  ];
  for (const kill of kills) {
    writeMain(dir, '1.0.0');
    assert.equal(polyglot(['synth', dir]).code, 0, 'back to the old output');
    writeMain(dir, '2.0.0');
    await synthKilled(dir, kill);
    const now = completeOutput(out); // throws if the marker or any listed file is missing
    const which = [...now].every(([file, content]) => old.get(file) === content) && now.size === old.size ? 'old' : 'new';
    if (which === 'new') assert.deepEqual(now, fresh, `killed at ${JSON.stringify(kill)}: neither the old nor the new output`);
    outcomes[which]++;
    assert.equal(readFileSync(join(out, 'mine.txt'), 'utf8'), 'kept', `killed at ${JSON.stringify(kill)}: the user's file is kept`);
    assert.deepEqual(readdirSync(out).filter((f) => f.includes('polyglot') && f !== OUTPUT_MARKER), [], 'no staging inside the outdir');
  }
  assert.ok(outcomes.old >= 2 && outcomes.new >= 1, `kills hit both sides of the swap: ${JSON.stringify(outcomes)}`);
  // The next synth cleans up whatever a killed one left in the store.
  assert.equal(polyglot(['synth', dir]).code, 0);
  assert.equal(readdirSync(join(dir, '.dist.polyglot')).length, 1);
});
