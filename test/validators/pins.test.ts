// One pin per external thing: what polyglot writes output for and what the tests validate that
// output with must be the same version, or a config that passes here may not load in a cluster.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_KUBERNETES_VERSION } from '../../constructs/core/kubernetes-version.js';
import { COLLECTOR_IMAGE, COLLECTOR_VERSION } from '../../constructs/telemetry/names.js';
import { telemetrySchema } from '../../constructs/telemetry/props.js';
import { REPO } from '../support/cli.js';

const installScript = readFileSync(join(REPO, 'scripts/install-tools.sh'), 'utf8');
const pin = (name: string) => {
  const match = new RegExp(`^${name}=(\\S+)`, 'm').exec(installScript);
  assert.ok(match, `${name} is pinned in scripts/install-tools.sh`);
  return match[1]!;
};

test('the collector the configs are validated with is the one deployed', () => {
  assert.equal(pin('OTELCOL_VERSION'), `v${COLLECTOR_VERSION}`);
  assert.equal(telemetrySchema.parse({}).image, COLLECTOR_IMAGE);
  assert.ok(COLLECTOR_IMAGE.endsWith(`:${COLLECTOR_VERSION}`));
  const builder = readFileSync(join(REPO, 'tools/otelcol-builder.yaml'), 'utf8');
  const versions = [...builder.matchAll(/^\s*- gomod: \S+ v(0\.\d+\.\d+)$/gm)].map((m) => m[1]);
  assert.ok(versions.length > 5, 'the builder manifest names its component versions');
  assert.deepEqual([...new Set(versions)], [COLLECTOR_VERSION], 'every contrib/core v0 component is from that release');
});

test('the Kubernetes schemas the output is validated with are those of the version it is written for', () => {
  assert.equal(pin('K8S_SCHEMAS_K8S_VERSION'), `v${DEFAULT_KUBERNETES_VERSION}.0`);
  assert.equal(pin('K8S_SCHEMAS_PYPI_VERSION'), `${DEFAULT_KUBERNETES_VERSION}.0`);
});
