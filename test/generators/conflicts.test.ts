// Re-running after a template upgrade: files the user never touched are updated without a
// question; a file the user changed is never overwritten without consent (yeoman's conflicter:
// a question; `--force` overwrites; `--yes` keeps the user's file and says so).
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { hashOf } from '../../generators/lib/generated-files.js';
import { runGenerator } from '../../generators/lib/run.js';
import { REPO_ROOT } from '../support/tools.js';
import { FIXTURE_TEMPLATES, newSystem, yoRun } from './support.js';

afterEach(() => process.chdir(REPO_ROOT));

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

let system: { dir: string; remove(): void };
let templates: string;
const regenerate = (run: { yes?: boolean; force?: boolean }) =>
  runGenerator('service', { cwd: system.dir, skipInstall: true, ...run, options: { regenerate: 'billing', templatesRoot: templates } });

before(async () => {
  templates = mkdtempSync(join(tmpdir(), 'polyglot-templates-'));
  cpSync(FIXTURE_TEMPLATES, templates, { recursive: true });
  system = await newSystem();
  await runGenerator('service', { cwd: system.dir, yes: true, skipInstall: true, options: { runtime: 'go', name: 'billing', templatesRoot: templates } });
  // The user changes two generated files…
  writeFileSync(join(system.dir, 'services/billing/README.md'), '# billing\n\nOur own notes.\n');
  writeFileSync(join(system.dir, 'model/services/billing.ts'), `${read(system.dir, 'model/services/billing.ts')}// tuned by hand\n`);
  // …and the template is upgraded.
  writeFileSync(join(templates, 'go-service/README.md.hbs'), `${read(templates, 'go-service/README.md.hbs')}Upgraded template.\n`);
  writeFileSync(join(templates, 'go-service/src/{{names.snake}}.txt.hbs'), '{{names.pascal}} v2\n');
});
after(() => {
  system.remove();
  rmSync(templates, { recursive: true, force: true });
});

test('--yes: untouched files follow the template, changed files are kept and named', async () => {
  const { kept } = await regenerate({ yes: true });
  assert.equal(read(system.dir, 'services/billing/src/billing.txt'), 'Billing v2\n', 'a file the user never changed is regenerated');
  assert.equal(read(system.dir, 'services/billing/README.md'), '# billing\n\nOur own notes.\n', "the user's README is kept");
  assert.match(read(system.dir, 'model/services/billing.ts'), /tuned by hand/, "the user's model code is kept");
  assert.deepEqual([...kept].sort(), ['model/services/billing.ts', 'services/billing/README.md']);
  // Still the user's on the next run: the record holds what the generator rendered, not what is on disk.
  const again = await regenerate({ yes: true });
  assert.deepEqual([...again.kept].sort(), ['model/services/billing.ts', 'services/billing/README.md']);
  const generated = JSON.parse(read(system.dir, '.yo-rc.json'))['generator-polyglot'].generated as Record<string, string>;
  assert.equal(generated['services/billing/src/billing.txt'], hashOf('Billing v2\n'));
});

test('a question: "do not overwrite" keeps the file, "overwrite" writes the template', async () => {
  const skip = await yoRun('service', system.dir, { force: false })
    .withOptions({ regenerate: 'billing', skipInstall: true, templatesRoot: templates } as never)
    .withAnswers({ action: 'skip' });
  assert.ok(skip.askedQuestions.some((q) => q.name === 'action'), 'the conflicter asked');
  assert.equal(read(system.dir, 'services/billing/README.md'), '# billing\n\nOur own notes.\n');
  await yoRun('service', system.dir, { force: false })
    .withOptions({ regenerate: 'billing', skipInstall: true, templatesRoot: templates } as never)
    .withAnswers({ action: 'write' });
  assert.match(read(system.dir, 'services/billing/README.md'), /Upgraded template\./);
  assert.doesNotMatch(read(system.dir, 'model/services/billing.ts'), /tuned by hand/);
});

test('--force overwrites files the user changed; polyglot init in the system regenerates every service', async () => {
  writeFileSync(join(system.dir, 'services/billing/README.md'), '# mine again\n');
  writeFileSync(join(templates, 'go-service/src/{{names.snake}}.txt.hbs'), '{{names.pascal}} v3\n');
  // The app generator in an existing system regenerates every service from .yo-rc.json.
  await runGenerator('app', { cwd: system.dir, yes: true, skipInstall: true, options: { templatesRoot: templates } });
  assert.equal(read(system.dir, 'services/billing/src/billing.txt'), 'Billing v3\n');
  assert.equal(read(system.dir, 'services/billing/README.md'), '# mine again\n');
  await regenerate({ yes: true, force: true });
  assert.match(read(system.dir, 'services/billing/README.md'), /Upgraded template\./);
  assert.equal(read(system.dir, 'services/billing/src/billing.txt'), 'Billing v3\n');
});
