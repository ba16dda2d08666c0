// The bad-input corpus: models that must be refused with a problem naming the construct path and a
// fix, before anything is written. Each case builds its mistake into a System named `bad`;
// test/bad-input/corpus.test.ts runs every case in-process and a representative subset through
// the real CLI (`polyglot synth`), where a case is loaded by name from this file.
import { z } from 'zod';
import {
  ElixirFanout,
  EventContract,
  GoService,
  GrpcContract,
  RustHotPath,
  TsApi,
  Workload,
  type System,
  type SystemProps,
} from '../../constructs/index.js';

export interface BadInputCase {
  /** Unique, stable: the CLI runs a case by it. */
  readonly name: string;
  readonly area: 'names' | 'subjects' | 'labels' | 'env' | 'durations' | 'sizes' | 'ports' | 'resources' | 'ingress' | 'schemas' | 'paths' | 'system';
  /** Props of the System besides its name. */
  readonly system?: Omit<SystemProps, 'name'>;
  readonly build?: (system: System) => void;
  /** The problem that must be reported: its code, the path below `bad/`, and its message. */
  readonly expect: { readonly code: string; readonly path: string; readonly message: RegExp };
}

const grpc = (s: System, name = 'api') => new GrpcContract(s, name, { proto: `contracts/bad/${name}/v1/${name}.proto`, service: `bad.${name}.v1.Api` });
const event = (s: System, props: Partial<ConstructorParameters<typeof EventContract>[2]> = {}, name = 'moved') =>
  new EventContract(s, name, { subject: 'bad.things.moved', schema: z.object({ id: z.string() }), ...props });
const go = (s: System, props: ConstructorParameters<typeof GoService>[2] = {}, name = 'svc', domain = 'core') => new GoService(s.domain(domain), name, props);
const api = (s: System, ingress: Record<string, unknown>) => new TsApi(s.domain('edge'), 'web', { ingress: { host: 'web.example.com', ...ingress } as never });

export const CASES: readonly BadInputCase[] = [
  // ---- names ------------------------------------------------------------------------------------
  { name: 'service name upper case', area: 'names', build: (s) => go(s, {}, 'Orders'), expect: { code: 'invalid-name', path: 'core/Orders', message: /try 'orders'/ } },
  { name: 'service name with underscore', area: 'names', build: (s) => go(s, {}, 'order_svc'), expect: { code: 'invalid-name', path: 'core/order_svc', message: /RFC 1123/ } },
  { name: 'service name starting with a digit', area: 'names', build: (s) => go(s, {}, '1st-line'), expect: { code: 'invalid-name', path: 'core/1st-line', message: /must start with a letter \(RFC 1035\); try 's-1st-line'/ } },
  { name: 'service name ending with a dash', area: 'names', build: (s) => go(s, {}, 'orders-'), expect: { code: 'invalid-name', path: 'core/orders-', message: /starting and ending with a letter or digit/ } },
  { name: 'service name of 64 characters', area: 'names', build: (s) => go(s, {}, 'a'.repeat(64)), expect: { code: 'invalid-name', path: `core/${'a'.repeat(64)}`, message: /64 characters long; Kubernetes allows 63/ } },
  { name: 'empty service name', area: 'names', build: (s) => go(s, {}, ''), expect: { code: 'invalid-name', path: 'core/(empty name)~1', message: /service name '' is empty/ } },
  { name: 'service name with a slash', area: 'names', build: (s) => go(s, {}, 'a/b'), expect: { code: 'invalid-name', path: 'core/a--b', message: /service name 'a\/b'/ } },
  { name: 'two services of one name', area: 'names', build: (s) => { go(s, {}, 'twin'); go(s, {}, 'twin'); }, expect: { code: 'duplicate-name', path: 'core/twin', message: /two services are named 'twin'/ } },
  { name: 'empty domain name', area: 'names', build: (s) => go(s, {}, 'svc', ''), expect: { code: 'invalid-name', path: '', message: /a domain name is empty/ } },
  { name: 'domain name upper case', area: 'names', build: (s) => go(s, {}, 'svc', 'Billing'), expect: { code: 'invalid-name', path: 'Billing', message: /namespace 'bad-Billing'/ } },
  { name: 'domain named contracts', area: 'names', build: (s) => { grpc(s); go(s, {}, 'svc', 'contracts'); }, expect: { code: 'reserved-name', path: 'contracts', message: /domain name 'contracts' is reserved/ } },
  { name: 'domain named contracts before any contract', area: 'names', build: (s) => { go(s, {}, 'svc', 'contracts'); grpc(s); }, expect: { code: 'reserved-name', path: 'contracts', message: /is reserved/ } },
  { name: 'empty contract name', area: 'names', build: (s) => grpc(s, ''), expect: { code: 'invalid-name', path: 'contracts/(empty name)~1', message: /contract name '' is empty/ } },
  { name: 'contract name upper case', area: 'names', build: (s) => new GrpcContract(s, 'Ledger', { proto: 'contracts/l.proto', service: 'bad.l.v1.Ledger' }), expect: { code: 'invalid-name', path: 'contracts/Ledger', message: /try 'ledger'/ } },
  { name: 'two gRPC contracts of one name', area: 'names', build: (s) => { grpc(s, 'dup'); grpc(s, 'dup'); }, expect: { code: 'duplicate-name', path: 'contracts/dup', message: /two contracts are named 'dup'/ } },
  { name: 'two events of one name', area: 'names', build: (s) => { event(s, {}, 'dup'); event(s, { subject: 'bad.other' }, 'dup'); }, expect: { code: 'duplicate-name', path: 'contracts/dup', message: /two contracts are named 'dup'/ } },
  { name: 'an event named like a gRPC contract', area: 'names', build: (s) => { grpc(s, 'same'); event(s, {}, 'same'); }, expect: { code: 'duplicate-name', path: 'contracts/same', message: /named 'same'/ } },
  { name: 'system name with spaces', area: 'names', system: { name: 'Not Valid' } as never, expect: { code: 'invalid-props', path: '', message: /^name: 'Not Valid'/ } },
  { name: 'queue group upper case', area: 'names', build: (s) => { const e = event(s); go(s, { publishes: [e] }, 'pub'); go(s, { subscribes: [{ event: e, queueGroup: 'Workers' }] }, 'sub'); }, expect: { code: 'invalid-props', path: 'core/sub', message: /subscribes\[0\]\.queueGroup/ } },
  // ---- labels -----------------------------------------------------------------------------------
  { name: 'service name of 63 characters (instance label 72)', area: 'labels', build: (s) => go(s, {}, 'a'.repeat(63)), expect: { code: 'name-too-long', path: `core/${'a'.repeat(63)}`, message: /app\.kubernetes\.io\/instance 'bad-core-a+' 72 characters long/ } },
  { name: 'domain and service over 63 together', area: 'labels', build: (s) => go(s, {}, 's'.repeat(40), 'd'.repeat(30)), expect: { code: 'name-too-long', path: `${'d'.repeat(30)}/${'s'.repeat(40)}`, message: /75 characters long; Kubernetes allows 63/ } },
  { name: 'version with a space', area: 'labels', build: (s) => go(s, { version: '1.0 beta' }), expect: { code: 'invalid-props', path: 'core/svc', message: /^version: expected a version/ } },
  { name: 'version of 70 characters', area: 'labels', build: (s) => go(s, { version: '1'.repeat(70) }), expect: { code: 'invalid-props', path: 'core/svc', message: /^version:/ } },
  { name: 'system version with a space', area: 'labels', system: { version: 'v 1' }, expect: { code: 'invalid-props', path: '', message: /^version:/ } },
  { name: 'environment upper case', area: 'labels', system: { environment: 'Prod' }, expect: { code: 'invalid-props', path: '', message: /^environment: 'Prod'/ } },
  // ---- subjects ---------------------------------------------------------------------------------
  { name: 'wildcard in a published subject', area: 'subjects', build: (s) => event(s, { subject: 'bad.things.*' }), expect: { code: 'invalid-props', path: 'contracts/moved', message: /no '\*' or '>' in a published subject/ } },
  { name: 'full wildcard subject', area: 'subjects', build: (s) => event(s, { subject: 'bad.>' }), expect: { code: 'invalid-props', path: 'contracts/moved', message: /invalid token '>'/ } },
  { name: 'empty subject token', area: 'subjects', build: (s) => event(s, { subject: 'bad..moved' }), expect: { code: 'invalid-props', path: 'contracts/moved', message: /invalid token ''/ } },
  { name: 'subject with a space', area: 'subjects', build: (s) => event(s, { subject: 'bad.things moved' }), expect: { code: 'invalid-props', path: 'contracts/moved', message: /invalid token 'things moved'/ } },
  { name: 'subject token upper case', area: 'subjects', build: (s) => event(s, { subject: 'bad.{Id}' }), expect: { code: 'invalid-props', path: 'contracts/moved', message: /invalid token '\{Id\}'/ } },
  { name: 'subject token not a field of the schema', area: 'subjects', build: (s) => event(s, { subject: 'bad.things.{room}' }), expect: { code: 'invalid-props', path: 'contracts/moved', message: /token '\{room\}' is not a field of the event's schema \(fields: id\)/ } },
  { name: 'second subject token not a field', area: 'subjects', build: (s) => event(s, { subject: 'bad.{id}.{venue}' }), expect: { code: 'invalid-props', path: 'contracts/moved', message: /token '\{venue\}'/ } },
  // ---- schemas ----------------------------------------------------------------------------------
  { name: 'event schema not a zod schema', area: 'schemas', build: (s) => event(s, { schema: { type: 'object' } as never }), expect: { code: 'invalid-props', path: 'contracts/moved', message: /schema: expected a zod schema/ } },
  { name: 'event version zero', area: 'schemas', build: (s) => event(s, { version: 0 }), expect: { code: 'invalid-props', path: 'contracts/moved', message: /^version:/ } },
  { name: 'gRPC service without a version', area: 'schemas', build: (s) => new GrpcContract(s, 'flat', { proto: 'contracts/flat.proto', service: 'bad.Flat' }), expect: { code: 'invalid-props', path: 'contracts/flat', message: /expected '<package>\.v<N>\.<Service>'/ } },
  { name: 'gRPC proto not a .proto file', area: 'schemas', build: (s) => new GrpcContract(s, 'txt', { proto: 'contracts/x.txt', service: 'bad.x.v1.X' }), expect: { code: 'invalid-props', path: 'contracts/txt', message: /expected a path to a \.proto file/ } },
  { name: 'unknown contract prop', area: 'schemas', build: (s) => new GrpcContract(s, 'typo', { proto: 'contracts/t.proto', service: 'bad.t.v1.T', desription: 'x' } as never), expect: { code: 'invalid-props', path: 'contracts/typo', message: /unknown prop 'desription' .*did you mean 'description'/ } },
  { name: 'stream name with a dot', area: 'schemas', build: (s) => event(s, { stream: { name: 'BAD.STREAM' } }), expect: { code: 'invalid-props', path: 'contracts/moved', message: /stream\.name/ } },
  { name: 'stream replicas 2', area: 'schemas', build: (s) => event(s, { stream: { name: 'S', replicas: 2 as never } }), expect: { code: 'invalid-props', path: 'contracts/moved', message: /stream\.replicas/ } },
  { name: 'unknown service prop', area: 'schemas', build: (s) => go(s, { replica: 3 } as never), expect: { code: 'invalid-props', path: 'core/svc', message: /unknown prop 'replica' .*did you mean 'replicas'/ } },
  { name: 'unknown runtime', area: 'schemas', build: (s) => new Workload(s.domain('core'), 'svc', { runtime: 'cobol' }), expect: { code: 'unknown-runtime', path: 'core/svc', message: /unknown runtime 'cobol'/ } },
  { name: 'calls entry without a contract', area: 'schemas', build: (s) => go(s, { calls: [{ timeout: '1s' }] as never }), expect: { code: 'invalid-props', path: 'core/svc', message: /calls\[0\]\.contract: expected a GrpcContract/ } },
  { name: 'the same event published twice', area: 'schemas', build: (s) => { const e = event(s); go(s, { publishes: [e, e] }); }, expect: { code: 'invalid-props', path: 'core/svc', message: /publishes\[1\]: lists event 'moved' a second time/ } },
  // ---- env --------------------------------------------------------------------------------------
  { name: 'env name with a dash', area: 'env', build: (s) => go(s, { env: { 'LOG-LEVEL': 'debug' } }), expect: { code: 'invalid-props', path: 'core/svc', message: /'LOG-LEVEL' is not an environment variable name/ } },
  { name: 'env name starting with a digit', area: 'env', build: (s) => go(s, { env: { '1X': 'a' } }), expect: { code: 'invalid-props', path: 'core/svc', message: /'1X' is not an environment variable name/ } },
  { name: 'env POD_NAME set by polyglot', area: 'env', build: (s) => go(s, { env: { POD_NAME: 'x' } }), expect: { code: 'invalid-props', path: 'core/svc', message: /env\.POD_NAME: is set by polyglot itself/ } },
  { name: 'env POLYGLOT_CONFIG set by polyglot', area: 'env', build: (s) => go(s, { env: { POLYGLOT_CONFIG: '/x' } }), expect: { code: 'invalid-props', path: 'core/svc', message: /env\.POLYGLOT_CONFIG/ } },
  { name: 'env OTEL_SERVICE_NAME set by the telemetry wiring', area: 'env', build: (s) => go(s, { env: { OTEL_SERVICE_NAME: 'other' } }), expect: { code: 'env-clash', path: 'core/svc', message: /env OTEL_SERVICE_NAME is also set by polyglot's platform wiring/ } },
  { name: 'env NATS_PASSWORD set by the spine wiring', area: 'env', build: (s) => { const e = event(s); go(s, { publishes: [e], env: { NATS_PASSWORD: '' } }); }, expect: { code: 'env-clash', path: 'core/svc', message: /env NATS_PASSWORD/ } },
  { name: 'env value not a string', area: 'env', build: (s) => go(s, { env: { PORT: 8080 as never } }), expect: { code: 'invalid-props', path: 'core/svc', message: /^env\.PORT:/ } },
  // ---- durations --------------------------------------------------------------------------------
  { name: 'call without a timeout', area: 'durations', build: (s) => { const c = grpc(s); go(s, { serves: [c] }, 'callee'); go(s, { calls: [{ contract: c } as never] }); }, expect: { code: 'invalid-props', path: 'core/svc', message: /every call needs a per-try timeout/ } },
  { name: 'timeout with a space', area: 'durations', build: (s) => { const c = grpc(s); go(s, { serves: [c] }, 'callee'); go(s, { calls: [{ contract: c, timeout: '30 ms' }] }); }, expect: { code: 'invalid-props', path: 'core/svc', message: /calls\[0\]\.timeout: expected a positive duration/ } },
  { name: 'timeout zero', area: 'durations', build: (s) => { const c = grpc(s); go(s, { serves: [c] }, 'callee'); go(s, { calls: [{ contract: c, timeout: '0ms' }] }); }, expect: { code: 'invalid-props', path: 'core/svc', message: /calls\[0\]\.timeout: expected a positive duration/ } },
  { name: 'timeout so large it became null', area: 'durations', build: (s) => { const c = grpc(s); go(s, { serves: [c] }, 'callee'); go(s, { calls: [{ contract: c, timeout: `${'9'.repeat(400)}h` }] }); }, expect: { code: 'invalid-props', path: 'core/svc', message: /calls\[0\]\.timeout: is too long to be a duration/ } },
  { name: 'timeout of a day', area: 'durations', build: (s) => { const c = grpc(s); go(s, { serves: [c] }, 'callee'); go(s, { calls: [{ contract: c, timeout: '24h' }] }); }, expect: { code: 'invalid-props', path: 'core/svc', message: /calls\[0\]\.timeout: is longer than 1h/ } },
  { name: 'deadline in days', area: 'durations', build: (s) => go(s, { deadline: '2d' }), expect: { code: 'invalid-props', path: 'core/svc', message: /^deadline: expected a positive duration/ } },
  { name: 'deadline of 100000 hours', area: 'durations', build: (s) => go(s, { deadline: '100000h' }), expect: { code: 'invalid-props', path: 'core/svc', message: /^deadline: is longer than 1h/ } },
  { name: 'stream age of a hundred years', area: 'durations', build: (s) => event(s, { stream: { name: 'S', maxAge: '900000h' } }), expect: { code: 'invalid-props', path: 'contracts/moved', message: /stream\.maxAge: at most '87600h'/ } },
  { name: 'negative retries', area: 'durations', build: (s) => { const c = grpc(s); go(s, { serves: [c] }, 'callee'); go(s, { calls: [{ contract: c, timeout: '1s', retries: -1 }] }); }, expect: { code: 'invalid-props', path: 'core/svc', message: /calls\[0\]\.retries/ } },
  { name: 'call policy backoff without a unit', area: 'durations', system: { callPolicy: { initialBackoff: '25' } }, expect: { code: 'invalid-props', path: '', message: /^callPolicy\.initialBackoff/ } },
  // ---- sizes ------------------------------------------------------------------------------------
  { name: 'zero NATS storage', area: 'sizes', system: { nats: { storage: '0' } }, expect: { code: 'invalid-props', path: '', message: /^nats\.storage: must be above zero/ } },
  { name: 'NATS storage in milli', area: 'sizes', system: { nats: { storage: '500m' } }, expect: { code: 'invalid-props', path: '', message: /^nats\.storage: expected a storage size/ } },
  { name: 'NATS storage in gigs', area: 'sizes', system: { nats: { storage: '10 GB' } }, expect: { code: 'invalid-props', path: '', message: /^nats\.storage/ } },
  { name: 'NATS replicas 2', area: 'sizes', system: { nats: { replicas: 2 as never } }, expect: { code: 'invalid-props', path: '', message: /^nats\.replicas/ } },
  { name: 'websocket perPod above connections', area: 'sizes', build: (s) => new ElixirFanout(s.domain('rt'), 'hub', { websocket: { connections: 10, perPod: 20 } }), expect: { code: 'invalid-props', path: 'rt/hub', message: /perPod is larger than connections/ } },
  { name: 'autoscaling max below min', area: 'sizes', build: (s) => go(s, { autoscaling: { minReplicas: 5, maxReplicas: 2 } }), expect: { code: 'invalid-props', path: 'core/svc', message: /maxReplicas must be at least minReplicas/ } },
  { name: 'zero replicas', area: 'sizes', build: (s) => go(s, { replicas: 0 }), expect: { code: 'invalid-props', path: 'core/svc', message: /^replicas:/ } },
  // ---- resources --------------------------------------------------------------------------------
  { name: 'cpuRequest above cpuLimit', area: 'resources', build: (s) => go(s, { resources: { cpuRequest: '2', cpuLimit: '1' } }), expect: { code: 'invalid-props', path: 'core/svc', message: /resources: cpuRequest 2 is above cpuLimit 1/ } },
  { name: 'memoryRequest above the profile memoryLimit', area: 'resources', build: (s) => go(s, { resources: { memoryRequest: '8Gi' } }), expect: { code: 'invalid-props', path: 'core/svc', message: /memoryRequest 8Gi is above memoryLimit/ } },
  { name: 'zero memory limit', area: 'resources', build: (s) => go(s, { resources: { memoryLimit: '0' } }), expect: { code: 'invalid-props', path: 'core/svc', message: /resources\.memoryLimit: must be above zero/ } },
  { name: 'zero cpu request', area: 'resources', build: (s) => go(s, { resources: { cpuRequest: '0m' } }), expect: { code: 'invalid-props', path: 'core/svc', message: /resources\.cpuRequest: must be above zero/ } },
  { name: 'memory in MB with a space', area: 'resources', build: (s) => go(s, { resources: { memoryLimit: '512 MB' } }), expect: { code: 'invalid-props', path: 'core/svc', message: /resources\.memoryLimit: expected a Kubernetes quantity/ } },
  { name: 'unknown resource', area: 'resources', build: (s) => go(s, { resources: { memoryLimt: '1Gi' } as never }), expect: { code: 'invalid-props', path: 'core/svc', message: /did you mean 'memoryLimit'/ } },
  // ---- ports ------------------------------------------------------------------------------------
  { name: 'port zero', area: 'ports', build: (s) => go(s, { ports: { http: 0 } }), expect: { code: 'invalid-props', path: 'core/svc', message: /^ports\.http/ } },
  { name: 'port above 65535', area: 'ports', build: (s) => go(s, { ports: { grpc: 70000 } }), expect: { code: 'invalid-props', path: 'core/svc', message: /^ports\.grpc/ } },
  { name: 'two ports equal', area: 'ports', build: (s) => go(s, { ports: { grpc: 8080, http: 8080 } }), expect: { code: 'port-clash', path: 'core/svc', message: /ports grpc and http are both 8080/ } },
  { name: 'elixir service serving gRPC', area: 'ports', build: (s) => new ElixirFanout(s.domain('rt'), 'hub', { serves: [grpc(s)] }), expect: { code: 'serves-without-grpc-port', path: 'rt/hub', message: /serves 'api', but the Elixir runtime opens no gRPC port/ } },
  { name: 'websocket port a string', area: 'ports', build: (s) => new ElixirFanout(s.domain('rt'), 'hub', { websocket: { connections: 10, perPod: 5, port: '4001' as never } }), expect: { code: 'invalid-props', path: 'rt/hub', message: /websocket\.port/ } },
  // ---- ingress ----------------------------------------------------------------------------------
  { name: 'ingress class with a space', area: 'ingress', build: (s) => api(s, { className: 'Nginx Class' }), expect: { code: 'invalid-props', path: 'edge/web', message: /ingress\.className: 'Nginx Class' is not a valid IngressClass name/ } },
  { name: 'TLS secret with shell characters', area: 'ingress', build: (s) => api(s, { tlsSecretName: 'a;rm -rf /' }), expect: { code: 'invalid-props', path: 'edge/web', message: /ingress\.tlsSecretName: 'a;rm -rf \/' is not a valid Secret name/ } },
  { name: 'ingress path climbing out', area: 'ingress', build: (s) => api(s, { path: '/../../etc' }), expect: { code: 'invalid-props', path: 'edge/web', message: /ingress\.path: .*no '\.' or '\.\.' segment/ } },
  { name: 'ingress path without a slash', area: 'ingress', build: (s) => api(s, { path: 'api' }), expect: { code: 'invalid-props', path: 'edge/web', message: /ingress\.path/ } },
  { name: 'ingress host upper case', area: 'ingress', build: (s) => api(s, { host: 'Not A Host' }), expect: { code: 'invalid-props', path: 'edge/web', message: /ingress\.host/ } },
  { name: 'ingress of another class without its controller namespace', area: 'ingress', build: (s) => api(s, { className: 'traefik' }), expect: { code: 'invalid-props', path: 'edge/web', message: /ingress\.className 'traefik' is not the system's ingress class/ } },
  { name: 'fan-out ingress with a bad host', area: 'ingress', build: (s) => new ElixirFanout(s.domain('rt'), 'hub', { websocket: { connections: 10, perPod: 5 }, ingress: { host: 'ws..example.com' } }), expect: { code: 'invalid-props', path: 'rt/hub', message: /ingress\.host/ } },
  { name: 'system ingress class upper case', area: 'ingress', system: { ingressClassName: 'NGINX' }, expect: { code: 'invalid-props', path: '', message: /^ingressClassName: 'NGINX'/ } },
  // ---- paths ------------------------------------------------------------------------------------
  { name: 'lock file not JSON', area: 'paths', system: { contracts: { lockFile: 'contracts.lock.yaml' } }, expect: { code: 'invalid-props', path: '', message: /^contracts\.lockFile: expected a \.json file/ } },
  { name: 'empty contracts root', area: 'paths', system: { contracts: { root: '' } }, expect: { code: 'invalid-props', path: '', message: /^contracts\.root/ } },
  { name: 'image reference with a space', area: 'paths', build: (s) => go(s, { image: 'registry.example.com/my app:1' }), expect: { code: 'invalid-props', path: 'core/svc', message: /^image: expected an image reference/ } },
  { name: 'image registry ending with a slash', area: 'paths', system: { imageRegistry: 'registry.example.com/team/' }, expect: { code: 'invalid-props', path: '', message: /^imageRegistry/ } },
  // ---- system -----------------------------------------------------------------------------------
  { name: 'Kubernetes version too old', area: 'system', system: { kubernetesVersion: '1.27' }, expect: { code: 'invalid-props', path: '', message: /^kubernetesVersion: polyglot writes output for Kubernetes 1\.28 and later/ } },
  { name: 'Kubernetes version not a version', area: 'system', system: { kubernetesVersion: 'latest' }, expect: { code: 'invalid-props', path: '', message: /^kubernetesVersion: expected a Kubernetes version/ } },
  { name: 'telemetry exporter endpoint without a port', area: 'system', system: { telemetry: { exporters: [{ name: 'tempo', endpoint: 'tempo.example.com' }] } }, expect: { code: 'invalid-props', path: '', message: /^telemetry\.exporters\[0\]\.endpoint/ } },
  { name: 'unknown system prop', area: 'system', system: { ingresClassName: 'nginx' } as never, expect: { code: 'invalid-props', path: '', message: /unknown prop 'ingresClassName' .*did you mean 'ingressClassName'/ } },
  { name: 'a service created on the System', area: 'system', build: (s) => new GoService(s as never, 'loose', {}), expect: { code: 'service-outside-domain', path: 'loose', message: /service 'loose' is created on the System 'bad'/ } },
];
