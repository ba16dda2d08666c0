// Renders templates/go-service, runs its post-render commands (buf generate with the protoc
// plugins pinned in the service's go.mod, go mod download) and its test commands (go mod tidy
// -diff, gofmt, go vet, staticcheck, go build, go test) on two contexts: the sample `billing`
// service (serves billing, calls identity, publishes and subscribes over NATS) and one with no
// calls and no events. Go's module and build caches live under the tools cache, outside the clone,
// so a second run is warm. A missing `go` fails the test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TemplateContext } from '../../generators/service/template-context.js';
import { renderService, sampleContext, templateCommands, toolsCache } from './support.js';

const TEMPLATE = 'go-service';

function goEnv(): Record<string, string> {
  return {
    GOMODCACHE: toolsCache('go-mod'),
    GOCACHE: toolsCache('go-build'),
    // The toolchain on the machine, never a download; go.mod and go.sum must already be complete.
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=readonly',
    GOWORK: 'off',
  };
}

function renderAndCheck(t: { diagnostic(message: string): void }, context: TemplateContext): string {
  const service = renderService(TEMPLATE, context, goEnv());
  try {
    const { postRender, test: testCommands } = templateCommands(TEMPLATE);
    for (const command of [...postRender, ...testCommands]) {
      const started = Date.now();
      const { status, output } = service.run(command);
      t.diagnostic(`${command.join(' ')}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.equal(status, 0, `\`${command.join(' ')}\` failed (exit ${status}) in ${service.dir}:\n${output}`);
    }
    const goMod = readFileSync(join(service.dir, 'go.mod'), 'utf8');
    const dockerfile = readFileSync(join(service.dir, 'Dockerfile'), 'utf8');
    assert.match(goMod, new RegExp(`^module example\\.com/${context.system.name}/${context.names.kebab}$`, 'm'));
    assert.match(dockerfile, new RegExp(`^USER ${context.service.uid}:${context.service.uid}$`, 'm'));
    assert.match(dockerfile, /^FROM golang:1\.26\.\d+-bookworm AS build$/m);
    assert.match(dockerfile, /^FROM gcr\.io\/distroless\/static-debian12:nonroot$/m);
    return goMod;
  } finally {
    service.remove();
  }
}

test('go-service: the sample service (serves, calls, NATS events) generates, lints and passes its tests', { timeout: 45 * 60_000 }, (t) => {
  const goMod = renderAndCheck(t, sampleContext('go'));
  assert.match(goMod, /github\.com\/nats-io\/nats\.go v1\.56\.0/);
});

test('go-service: a service without calls or events builds without a NATS client', { timeout: 45 * 60_000 }, (t) => {
  const base = sampleContext('go');
  const goMod = renderAndCheck(
    t,
    sampleContext('go', {
      calls: [],
      publishes: [],
      subscribes: [],
      usesNats: false,
      protoFiles: base.serves.map((c) => c.protoFile),
    }),
  );
  assert.doesNotMatch(goMod, /nats-io/);
});
