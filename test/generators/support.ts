// Support for the generator tests: a system folder whose main.ts runs against this repository's
// sources (a `generator-polyglot` shim in its node_modules re-exporting constructs/index.ts, and
// the repo's zod), so the generators can read the model without `npm install` or a build.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../support/tools.js';

export const FIXTURE_TEMPLATES = join(REPO_ROOT, 'test', 'generators', 'fixtures', 'templates');

/** A fresh temp folder with node_modules able to run a system's main.ts against the sources. */
export function scratchDir(prefix = 'polyglot-gen-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  linkModules(dir);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Gives `dir` a node_modules with generator-polyglot (the sources) and zod (the repo's copy). */
export function linkModules(dir: string): void {
  const pkg = join(dir, 'node_modules', 'generator-polyglot');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'generator-polyglot', type: 'module', exports: './index.ts' }));
  writeFileSync(join(pkg, 'index.ts'), `export * from ${JSON.stringify(join(REPO_ROOT, 'constructs', 'index.ts'))};\n`);
  symlinkSync(join(REPO_ROOT, 'node_modules', 'zod'), join(dir, 'node_modules', 'zod'), 'dir');
}

/** Every file under `dir` (node_modules left out) with its hash: equal before and after proves
 * nothing was written. */
export function treeHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        out[`${relative(dir, path)}/`] = 'dir';
        walk(path);
      } else out[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

import helpers from 'yeoman-test';
import AppGenerator from '../../generators/app/index.js';
import ContractGenerator from '../../generators/contract/index.js';
import { generatorPath, runGenerator, type GeneratorName } from '../../generators/lib/run.js';
import ServiceGenerator from '../../generators/service/index.js';

const CLASSES = { app: AppGenerator, service: ServiceGenerator, contract: ContractGenerator };

/** Runs one of our generators with yeoman-test in `dir` (kept: no temp dir of its own).
 * yeoman-test's environment forces writes by default: pass `{ force: false }` to see conflicts. */
export function yoRun(name: GeneratorName, dir: string, envOptions: Record<string, unknown> = {}) {
  return helpers.run(CLASSES[name] as never, { resolved: generatorPath(name), namespace: `polyglot:${name}`, tmpdir: false, cwd: dir, autoCleanup: false }, envOptions);
}

/** A new system `shop` in a scratch folder (through the real runner, as `polyglot init --yes`). */
export async function newSystem(): Promise<{ dir: string; remove(): void }> {
  const scratch = scratchDir();
  await runGenerator('app', { cwd: scratch.dir, yes: true, options: { name: 'shop' } });
  return scratch;
}

/** Adds a service with flags, as `polyglot new service --yes` does, rendering fixture templates. */
export function addService(dir: string, options: Record<string, unknown>, run: { force?: boolean; skipInstall?: boolean; yes?: boolean } = {}) {
  return runGenerator('service', { cwd: dir, yes: run.yes ?? true, force: run.force, skipInstall: run.skipInstall ?? true, options: { templatesRoot: FIXTURE_TEMPLATES, ...options } });
}
