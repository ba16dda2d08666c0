#!/usr/bin/env node
// Converts the openAPIV3Schema of every version of every CustomResourceDefinition in a YAML file
// into a standalone JSON Schema file that kubeconform can load with
//   -schema-location '<outDir>/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json'
//
// Same naming as kubeconform's openapi2jsonschema.py ("{kind}_{version}.json", lowercased), one
// folder per API group (the CRDs-catalog layout). Strictness, as the API server's pruning would
// see it:
//   - every object schema that lists `properties` gets `additionalProperties: false`, unless it
//     carries `x-kubernetes-preserve-unknown-fields: true` or sets additionalProperties itself;
//   - the root additionally accepts only apiVersion (this group/version), kind, metadata and the
//     properties the CRD declares (spec, status);
//   - `x-kubernetes-int-or-string` becomes oneOf string|integer, `nullable: true` allows null.
//
// Usage: node scripts/crd-to-jsonschema.mjs <crds.yaml> <outDir>
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const [, , input, outDir] = process.argv;
if (!input || !outDir) {
  console.error('usage: crd-to-jsonschema.mjs <crds.yaml> <outDir>');
  process.exit(2);
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Rewrites one schema node (and, recursively, its sub-schemas) in place. */
function convert(node) {
  if (!isObject(node)) return node;

  if (node['x-kubernetes-int-or-string'] === true) {
    delete node.type;
    delete node.format;
    node.oneOf = [{ type: 'string' }, { type: 'integer' }];
  }
  if (node.nullable === true && typeof node.type === 'string') {
    node.type = [node.type, 'null'];
  }
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (isObject(node.properties) && !('additionalProperties' in node) && !preserveUnknown) {
    node.additionalProperties = false;
  }

  if (isObject(node.properties)) {
    for (const child of Object.values(node.properties)) convert(child);
  }
  if (isObject(node.additionalProperties)) convert(node.additionalProperties);
  if (isObject(node.items)) convert(node.items);
  if (Array.isArray(node.items)) node.items.forEach(convert);
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(node[key])) node[key].forEach(convert);
  }
  if (isObject(node.not)) convert(node.not);

  // Kubernetes-only keywords mean nothing to a JSON Schema validator.
  for (const key of Object.keys(node)) {
    if (key.startsWith('x-kubernetes-') || key === 'nullable') delete node[key];
  }
  return node;
}

const text = readFileSync(input, 'utf8');
const docs = parseAllDocuments(text);
let written = 0;
for (const doc of docs) {
  if (doc.errors.length > 0) throw new Error(`${input}: ${doc.errors[0].message}`);
  const crd = doc.toJS();
  if (!isObject(crd) || crd.kind !== 'CustomResourceDefinition') continue;
  const group = crd.spec?.group;
  const kind = crd.spec?.names?.kind;
  if (!group || !kind) throw new Error(`${input}: CRD ${crd.metadata?.name} lacks spec.group or spec.names.kind`);
  for (const version of crd.spec.versions ?? []) {
    const source = version.schema?.openAPIV3Schema;
    if (!isObject(source)) continue;
    const schema = convert(structuredClone(source));
    schema.type = 'object';
    schema.properties = {
      apiVersion: { type: 'string', enum: [`${group}/${version.name}`] },
      kind: { type: 'string', enum: [kind] },
      metadata: { type: 'object' },
      ...(schema.properties ?? {}),
    };
    schema.required = [...new Set(['apiVersion', 'kind', 'metadata', ...(schema.required ?? [])])];
    if (!('additionalProperties' in schema)) schema.additionalProperties = false;
    const dir = join(outDir, group.toLowerCase());
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${kind}_${version.name}.json`.toLowerCase());
    writeFileSync(file, `${JSON.stringify({ $schema: 'http://json-schema.org/schema#', ...schema }, null, 2)}\n`);
    written += 1;
  }
}
if (written === 0) {
  console.error(`${input}: no CustomResourceDefinition with an openAPIV3Schema found`);
  process.exit(1);
}
console.log(`${written} schema file(s) written to ${outDir}`);
