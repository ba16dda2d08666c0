import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { manifestYaml } from '../../constructs/render/manifest-yaml.js';

const read = (text: string, version: '1.1' | '1.2') => parseAllDocuments(text, { version }).map((d) => {
  assert.deepEqual(d.errors, [], `${d.errors.join('\n')}\n---\n${text}`);
  return d.toJS();
});

/** JSON without undefined (YAML has no undefined) and with -0 as 0 (JSON cannot tell them apart). */
const json = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);
/** Short strings from the characters that matter to YAML, where collisions are likely. */
const yamlish = fc.string({ unit: fc.constantFrom(...'aeEyYnN01_-+.:#/ $(),@%*&!|>\'"{}[]~\n\t'.split('')), maxLength: 8 });
const manifestLike = fc.dictionary(yamlish, fc.oneof(yamlish, fc.integer(), fc.boolean(), fc.constant(null), fc.array(yamlish, { maxLength: 3 })), { noNullPrototype: true });

test('any JSON value reads back the same under YAML 1.2 and YAML 1.1', () => {
  fc.assert(
    fc.property(fc.array(json, { minLength: 1, maxLength: 3 }), (docs) => {
      const text = manifestYaml(docs);
      assert.deepEqual(read(text, '1.2'), docs);
      assert.deepEqual(read(text, '1.1'), docs);
    }),
    { numRuns: 5000 },
  );
});

test('keys and values built from the characters special to YAML read back the same', () => {
  fc.assert(
    fc.property(manifestLike, (doc) => {
      const text = manifestYaml([doc]);
      assert.deepEqual(read(text, '1.2')[0], doc);
      assert.deepEqual(read(text, '1.1')[0], doc);
    }),
    { numRuns: 5000 },
  );
});

test('strings that look like other things are quoted; the rest stay plain', () => {
  const tricky = ['yes', 'No', 'on', 'null', '1.0.0', '0755', '1e3', '.inf', '- a', 'a: b', 'a #b', 'x:', ' lead', 'trail ', '@at', '*ref', '&anchor', '!tag', '%dir', '{a}', '[a]', '"q"', "'q'", '`b`', '', '~', 'e0', 'E5'];
  const text = manifestYaml([{ values: tricky }]);
  assert.deepEqual(read(text, '1.1')[0], { values: tricky });
  assert.deepEqual(read(text, '1.2')[0], { values: tricky });
  assert.equal(manifestYaml([{ image: 'registry.example.com/team/app:1.2.3', path: '/healthz', ref: '$(POD_NAME)' }]), 'image: registry.example.com/team/app:1.2.3\npath: /healthz\nref: $(POD_NAME)\n');
});

test('multi-line strings become literal blocks, nested lists sit under their key', () => {
  const doc = { data: { 'service.json': '{\n  "a": 1\n}' }, items: [{ name: 'x', ports: [1, 2] }, []], empty: {} };
  const text = manifestYaml([doc]);
  assert.equal(text, 'data:\n  service.json: |-\n    {\n      "a": 1\n    }\nitems:\n  - name: x\n    ports:\n      - 1\n      - 2\n  - []\nempty: {}\n');
  assert.deepEqual(read(text, '1.2')[0], doc);
});

test('documents are separated by ---', () => {
  assert.equal(manifestYaml([{ a: 1 }, { b: 2 }]), 'a: 1\n---\nb: 2\n');
});
