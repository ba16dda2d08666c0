// What polyglot writes must read back the same in Go, where kubectl, kustomize and the API
// machinery read it, not only in JavaScript: a raw DEL or C1 control character made kubectl refuse
// a whole file, and a raw NEL came back as a space. tools/yaml-to-json reads YAML with kubectl's own
// reader (k8s.io/apimachinery's splitter and sigs.k8s.io/yaml); the values are compared with what
// went in and with what npm's yaml reads under YAML 1.2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { GoService, System } from '../../constructs/index.js';
import { manifestYaml } from '../../constructs/render/manifest-yaml.js';
import { tempDir } from '../support/cli.js';
import { allObjects, find } from '../support/synth.js';
import { toolPath } from '../support/tools.js';

const dir = tempDir('yaml-go-');
let files = 0;

/** Reads a YAML stream with kubectl's reader; fails the test with Go's error when it refuses it. */
function readWithGo(text: string): unknown[] {
  const file = join(dir, `${files++}.yaml`);
  writeFileSync(file, text);
  const result = spawnSync(toolPath('yaml-to-json'), [file], { encoding: 'utf8' });
  assert.equal(result.status, 0, `${result.stderr}\n---\n${JSON.stringify(text)}`);
  return JSON.parse(result.stdout) as unknown[];
}

const readWithJs = (text: string) => parseAllDocuments(text, { version: '1.2' }).map((d) => d.toJS());

/** Values that are special to one YAML reader or another, and every control character. */
const SPECIAL = [
  'yes', 'No', 'on', 'OFF', 'y', 'n', 'true', 'null', '~', '', ' ', '0x1F', '0o17', '017', '1e3', '.inf', '-.nan', '1_000',
  '12:30', '2026-12-03', '- item', '? key', ': colon', 'a: b', 'a #b', '#comment', "'quoted'", '"double"', '{a: 1}', '[1, 2]', '&anchor', '*alias',
  '!tag', '%directive', '@at', '`tick`', '|', '>', 'trailing ', ' leading', 'tab\there', 'line\nbreak', 'ends\n', '\n\nstarts', 'crlf\r\nline',
  '\t\n', 'a\n \nb', 'a\n\t\nb', 'a\n\tb\n', // whitespace-only lines and leading tabs (found by the property below)
  'a\u0085b', 'a\u2028b', 'a\u2029b', '\ufeffbom', 'é ü 日本 🙂', 'a\ufffeb',
  ...Array.from({ length: 32 }, (_, i) => `c${String.fromCharCode(i)}c`),
  ...Array.from({ length: 33 }, (_, i) => `d${String.fromCharCode(0x7f + i)}d`),
];

test('every YAML-special and control-character value reads back unchanged in Go (kubectl) and in YAML 1.2', () => {
  const doc = Object.fromEntries(SPECIAL.map((value, i) => [`k${i}`, value]));
  const keys = Object.fromEntries(SPECIAL.filter((v) => v !== '').map((value, i) => [value, i]));
  const text = manifestYaml([doc, keys]);
  assert.deepEqual(readWithGo(text), [doc, keys]);
  assert.deepEqual(readWithJs(text), [doc, keys]);
});

test('arbitrary strings from the characters that trouble YAML round-trip through Go', () => {
  const unit = fc.constantFrom(...'ayYnN01:# -?|>\'"{}\n\t\r\u0000\u001f\u007f\u0080\u0085\u009f\u00a0\u2028\ufeff\ufffe'.split(''));
  const value = fc.string({ unit, maxLength: 10 });
  fc.assert(
    fc.property(fc.array(fc.dictionary(value, value, { noNullPrototype: true, maxKeys: 5 }), { minLength: 1, maxLength: 3 }), (docs) => {
      const text = manifestYaml(docs);
      assert.deepEqual(readWithGo(text), docs);
    }),
    { numRuns: 150 },
  );
});

test('a service env value with DEL and C1 characters reaches the Deployment intact through Go', () => {
  const system = new System({ name: 'ctl' });
  const value = 'a\u007fb\u0085c\u009bd\u2028e';
  new GoService(system.domain('core'), 'svc', { env: { BANNER: value } });
  const file = system.files().get('ctl-core.k8s.yaml')!;
  const deployment = (readWithGo(file) as any[]).find((o) => o.kind === 'Deployment');
  const env = deployment.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'BANNER');
  assert.equal(env.value, value);
  assert.equal(find(allObjects(system), 'Deployment', 'svc').spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'BANNER').value, value);
});
