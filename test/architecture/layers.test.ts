// The structure ARCHITECTURE.md describes, enforced: constructs/ has no import cycle (type
// imports count), its folders import only downward, and the tools on top (cli/, generators/,
// pulumi/, diagnose/) use the library only through its public index.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT } from '../support/tools.js';
import { importCycles, importGraph } from './import-graph.js';

const constructs = importGraph(REPO_ROOT, ['constructs']);

test('constructs/ has no import cycle, type imports included', () => {
  const cycles = importCycles(constructs);
  assert.deepEqual(cycles, [], `import cycles:\n${cycles.map((c) => `  ${c.join(' → ')}`).join('\n')}`);
});

/** The layers, lowest first; a file may import its own layer's files and lower layers only. */
const LAYERS: readonly [string, (path: string) => boolean][] = [
  ['core', (p) => p.startsWith('core/')],
  ['model', (p) => p.startsWith('services/') || p.startsWith('contracts/') || ['domain.ts', 'model.ts', 'extension.ts'].includes(p)],
  ['checks', (p) => p.startsWith('checks/')],
  ['kubernetes', (p) => p.startsWith('kubernetes/')],
  ['platform', (p) => p.startsWith('spine/') || p.startsWith('telemetry/') || p.startsWith('render/')],
  ['synth', (p) => p.startsWith('synth/') || p === 'system.ts'],
  ['index', (p) => p === 'index.ts'],
];

function layerOf(file: string): number {
  const path = file.replace(/^constructs\//, '');
  const index = LAYERS.findIndex(([, matches]) => matches(path));
  assert.notEqual(index, -1, `${file} is in no layer: add its folder to ARCHITECTURE.md and to LAYERS`);
  return index;
}

test('every import in constructs/ points down the layers: core ← model ← checks ← kubernetes ← {spine, telemetry, render} ← synth ← index', () => {
  const upward = [...constructs.imports].flatMap(([from, targets]) =>
    targets.filter((to) => layerOf(to) > layerOf(from)).map((to) => `${from} (${LAYERS[layerOf(from)]![0]}) → ${to} (${LAYERS[layerOf(to)]![0]})`),
  );
  assert.deepEqual(upward, [], `imports that point up:\n  ${upward.join('\n  ')}`);
});

test('core/ imports nothing of the model', () => {
  const core = [...constructs.imports].filter(([from]) => from.startsWith('constructs/core/'));
  for (const [from, targets] of core) for (const to of targets) assert.ok(to.startsWith('constructs/core/'), `${from} imports ${to}`);
});

test('cli/, generators/, pulumi/ and diagnose/ use constructs/ only through its index', () => {
  const tools = importGraph(REPO_ROOT, ['cli', 'generators', 'pulumi', 'diagnose']);
  const deep = [...tools.imports].flatMap(([from, targets]) =>
    targets.filter((to) => to.startsWith('constructs/') && to !== 'constructs/index.ts').map((to) => `${from} → ${to}`),
  );
  assert.deepEqual(deep, [], `deep imports (export what you need from constructs/index.ts):\n  ${deep.join('\n  ')}`);
});

test('diagnose/ reads traces, not the model: it imports nothing of constructs/', () => {
  const diagnose = importGraph(REPO_ROOT, ['diagnose']);
  for (const [from, targets] of diagnose.imports) for (const to of targets) assert.ok(!to.startsWith('constructs/'), `${from} imports ${to}`);
});

test('pulumi/ is an optional entry point: nothing else of the package imports it or @pulumi/*', () => {
  const rest = importGraph(REPO_ROOT, ['constructs', 'cli', 'generators', 'diagnose']);
  const intoPulumi = [...rest.imports].flatMap(([from, targets]) => targets.filter((to) => to.startsWith('pulumi/')).map((to) => `${from} → ${to}`));
  assert.deepEqual(intoPulumi, [], 'the rest of the package must work without @pulumi/* installed');
  const pulumiPackages = rest.files.filter((file) =>
    ts.preProcessFile(readFileSync(join(REPO_ROOT, file), 'utf8'), true, true).importedFiles.some((f) => f.fileName.startsWith('@pulumi/')),
  );
  assert.deepEqual(pulumiPackages, [], '@pulumi/* are optional peer dependencies: only pulumi/ may import them');
});
