// Renders templates/go-service, runs its post-render commands (buf generate with the protoc
// plugins pinned in the service's go.mod, go mod download) and its test commands (go mod tidy
// -diff, gofmt, go vet, staticcheck, go build, go test) on two contexts:
// - the sample `billing` service: serves billing, calls identity, publishes and subscribes over
//   NATS;
// - a service with no calls and no events that serves two contracts, the first with a hyphenated
//   name and all four kinds of RPC (unary, server, client and bidirectional streams), listed out of
//   alphabetical order (imports must still be gofmt-clean).
// Go's module and build caches live under the tools cache, outside the clone, so a second run is
// warm. A missing `go` fails the test.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import type { GrpcContractFacts, GrpcMethodFacts, TemplateContext } from '../../generators/service/template-context.js';
import { renderService, sampleContext, templateCommands, toolsCache } from './support.js';

const TEMPLATE = 'go-service';

function goEnv(): Record<string, string> {
  return {
    GOMODCACHE: toolsCache('go-mod'),
    GOCACHE: toolsCache('go-build'),
    // staticcheck's own cache would go to ~/.cache/staticcheck otherwise.
    STATICCHECK_CACHE: toolsCache('staticcheck'),
    // The toolchain on the machine, never a download; go.mod and go.sum must already be complete.
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=readonly',
    GOWORK: 'off',
  };
}

/** Renders, writes `extraProtos` (relative to proto/), runs postRender and test; returns go.mod. */
function renderAndCheck(t: { diagnostic(message: string): void }, context: TemplateContext, extraProtos: Record<string, string> = {}): string {
  const service = renderService(TEMPLATE, context, goEnv());
  try {
    for (const [path, text] of Object.entries(extraProtos)) {
      const file = join(service.dir, 'proto', path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
    const { postRender, test: testCommands } = templateCommands(TEMPLATE);
    for (const command of [...postRender, ...testCommands]) {
      const started = Date.now();
      const { status, output } = service.run(command);
      t.diagnostic(`${command.join(' ').slice(0, 60)}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
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

const FEED_PROTO = `syntax = "proto3";

package shop.feed.v1;

// EventFeed streams feed items every way gRPC can.
service EventFeedService {
  rpc GetItem(GetItemRequest) returns (FeedItem);
  rpc Follow(FollowRequest) returns (stream FeedItem);
  rpc Upload(stream FeedItem) returns (UploadResponse);
  rpc Exchange(stream FeedItem) returns (stream FeedItem);
}

message GetItemRequest {
  string id = 1;
}

message FollowRequest {
  string topic = 1;
}

message FeedItem {
  string id = 1;
  string body = 2;
}

message UploadResponse {
  int64 count = 1;
}
`;

function method(name: string, input: string, output: string, clientStreaming: boolean, serverStreaming: boolean): GrpcMethodFacts {
  const camel = name[0]!.toLowerCase() + name.slice(1);
  const snake = name.replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c.toLowerCase());
  return { name, camel, snake, inputType: `shop.feed.v1.${input}`, inputName: input, outputType: `shop.feed.v1.${output}`, outputName: output, clientStreaming, serverStreaming };
}

const EVENT_FEED: GrpcContractFacts = {
  contract: 'event-feed',
  grpcService: 'shop.feed.v1.EventFeedService',
  protoPackage: 'shop.feed.v1',
  serviceName: 'EventFeedService',
  protoFile: 'shop/feed/v1/feed.proto',
  names: { kebab: 'event-feed', snake: 'event_feed', pascal: 'EventFeed', camel: 'eventFeed' },
  methods: [
    method('GetItem', 'GetItemRequest', 'FeedItem', false, false),
    method('Follow', 'FollowRequest', 'FeedItem', false, true),
    method('Upload', 'FeedItem', 'UploadResponse', true, false),
    method('Exchange', 'FeedItem', 'FeedItem', true, true),
  ],
};

test('go-service: no calls, no events, two served contracts with every kind of stream', { timeout: 45 * 60_000 }, (t) => {
  const base = sampleContext('go');
  const serves = [EVENT_FEED, ...base.serves];
  const goMod = renderAndCheck(
    t,
    sampleContext('go', {
      serves,
      calls: [],
      publishes: [],
      subscribes: [],
      usesNats: false,
      // renderService copies these from the fixtures; the feed proto is written by the test.
      protoFiles: base.serves.map((c) => c.protoFile),
    }),
    { [EVENT_FEED.protoFile]: FEED_PROTO },
  );
  assert.doesNotMatch(goMod, /nats-io/);
});
