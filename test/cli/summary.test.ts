import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { manifestHeads, type ManifestObject } from '../../cli/summary.js';
import { generateSystem } from '../../bench/generate.js';

// The synth summary reads kinds, names and labels with a line reader made for polyglot's own
// manifest layout; it must agree with a real YAML parser on everything polyglot writes.

function parsed(text: string): ManifestObject[] {
  return parseAllDocuments(text).map((doc) => {
    const object = doc.toJS() as { kind?: string; metadata?: { name?: string; labels?: Record<string, string> } };
    return { kind: object.kind, metadata: { name: object.metadata?.name, ...(object.metadata?.labels ? { labels: object.metadata.labels } : {}) } };
  });
}

function read(text: string): ManifestObject[] {
  return manifestHeads(text).map((o) => ({ kind: o.kind, metadata: { name: o.metadata?.name, ...(o.metadata?.labels ? { labels: o.metadata.labels } : {}) } }));
}

test('the summary reads what a YAML parser reads: the jvn snapshot', () => {
  const dir = join(import.meta.dirname, '..', '__snapshots__', 'jvn');
  const manifests = readdirSync(dir).filter((f) => f.endsWith('.k8s.yaml'));
  assert.ok(manifests.length > 3);
  for (const file of manifests) {
    const text = readFileSync(join(dir, file), 'utf8');
    assert.deepEqual(read(text), parsed(text), file);
  }
});

test('the summary reads what a YAML parser reads: a generated 60-service system, and quoted keys and values', () => {
  const { system } = generateSystem({ services: 60, seed: 5 });
  for (const [path, text] of system.files()) if (path.endsWith('.k8s.yaml')) assert.deepEqual(read(text), parsed(text), path);
  const quoted = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    "a: b": "yes"\n    plain: "1.0"\n  name: "on"\ndata:\n  name: not-metadata\n';
  assert.deepEqual(read(quoted), parsed(quoted));
});
