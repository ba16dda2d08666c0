import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JVN, REPO, polyglot, readTree, tempDir } from '../support/cli.js';

const DIAGRAMS = ['billing', 'catalog', 'edge', 'identity', 'media', 'realtime', 'system'];

test('polyglot diagram draws the diagrams alone, SVG and Mermaid, into the output’s diagrams folder', () => {
  const out = join(tempDir(), 'dist');
  const result = polyglot(['diagram', JVN, '--outdir', out]);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /wrote 7 diagrams to .*dist\/diagrams/);
  const files = [...readTree(out).keys()];
  assert.deepEqual(files, ['.polyglot-output.json', ...DIAGRAMS.flatMap((d) => [`diagrams/${d}.mmd`, `diagrams/${d}.svg`])]);
});

test('polyglot diagram after synth replaces the diagrams and keeps the manifests, still polyglot’s', () => {
  const out = join(tempDir(), 'dist');
  assert.equal(polyglot(['synth', JVN, '--outdir', out, '--diagrams']).code, 0);
  const before = readTree(out);
  writeFileSync(join(out, 'diagrams/stale.svg'), '<svg/>'); // a user's file: kept, as synth keeps it
  const result = polyglot(['diagram', JVN, '--outdir', out]);
  assert.equal(result.code, 0, result.stderr);
  const after = readTree(out);
  assert.deepEqual([...after.keys()].filter((f) => f !== 'diagrams/stale.svg'), [...before.keys()]);
  for (const [path, content] of before) assert.equal(after.get(path), content, `${path} unchanged`);
  const marker = JSON.parse(readFileSync(join(out, '.polyglot-output.json'), 'utf8')) as { files: string[] };
  assert.ok(marker.files.includes('jvn-identity.k8s.yaml') && marker.files.includes('diagrams/system.svg'), 'manifests and diagrams stay polyglot’s');
  assert.ok(!marker.files.includes('diagrams/stale.svg'));
});

test('polyglot diagram refuses an outdir it does not own, like synth, and writes nothing', () => {
  const out = tempDir();
  writeFileSync(join(out, 'notes.txt'), 'mine');
  const result = polyglot(['diagram', JVN, '--outdir', out]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /refusing to write output to .*: it holds files polyglot did not write \(notes\.txt\)/);
  assert.doesNotMatch(result.stderr, /node:internal|at .*\.ts:\d+/, 'a sentence, not a stack trace');
  assert.deepEqual([...readTree(out).keys()], ['notes.txt']);
});

test('polyglot diagram on a broken model lists the problems and draws nothing', () => {
  const system = tempDir();
  writeFileSync(join(system, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(system, 'main.ts'), `import { brokenSystem } from ${JSON.stringify(join(REPO, 'test/support/broken.ts'))};\nbrokenSystem().synth();\n`);
  mkdirSync(join(system, 'dist'));
  const result = polyglot(['diagram', system]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /the model has problems, nothing was written/);
  assert.match(result.stderr, /\[dangling-call\]/);
  assert.deepEqual([...readTree(join(system, 'dist')).keys()], []);
});

test('polyglot diagram after a synth that wrote Mermaid only adds the SVGs, and synth --diagrams writes the same pictures', () => {
  const out = join(tempDir(), 'dist');
  const synth = polyglot(['synth', JVN, '--outdir', out]);
  assert.equal(synth.code, 0, synth.stderr);
  assert.match(synth.stdout, /pictures: polyglot diagram \S+ --outdir \S+ {3}# draws diagrams\/\*\.mmd as SVG/);
  const before = readTree(out);
  assert.deepEqual([...before.keys()].filter((f) => f.endsWith('.svg')), []);
  assert.equal(polyglot(['diagram', JVN, '--outdir', out]).code, 0);
  const after = readTree(out);
  const svgs = [...after.keys()].filter((f) => f.endsWith('.svg'));
  assert.deepEqual(svgs, [...before.keys()].filter((f) => f.endsWith('.mmd')).map((f) => f.replace(/\.mmd$/, '.svg')));
  for (const [path, content] of before) if (path !== '.polyglot-output.json') assert.equal(after.get(path), content, `${path} unchanged`);

  const drawn = join(tempDir(), 'dist');
  const synthDrawn = polyglot(['synth', JVN, '--outdir', drawn, '--diagrams']);
  assert.equal(synthDrawn.code, 0, synthDrawn.stderr);
  assert.doesNotMatch(synthDrawn.stdout, /pictures: polyglot diagram/);
  const drawnFiles = readTree(drawn);
  for (const svg of svgs) assert.equal(drawnFiles.get(svg), after.get(svg), `${svg}: the same picture either way`);
});
