// The Pulumi component with Pulumi's own mocks (pulumi.runtime.setMocks): no CLI, no provider, no
// cluster. The mocks stand in for the engine and the Kubernetes provider, which are Go binaries
// not installed by the unit suite; what is checked is what the program registers: one resource
// per synthesized object, the order between the steps, secret values, and config flowing into
// the model. test/deploy/kube-api.integ.test.ts applies the same objects to a real API server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { z } from 'zod';
import { ElixirFanout, EventContract, GoService, GrpcContract, RustHotPath, System, TsApi } from '../../constructs/index.js';
import {
  SystemDeployment,
  deployPlan,
  withServiceSettings,
  withSystemSettings,
  type DeploySettings,
  type KubeObject,
} from '../../pulumi/index.js';

/** A small system that takes the stack's settings the way a user's system function does. */
function shop(settings: DeploySettings): System {
  const system = new System(withSystemSettings({ name: 'shop', version: '2.3.0' }, settings));
  const pricing = new GrpcContract(system, 'pricing', { proto: 'contracts/shop/pricing/v1/pricing.proto', service: 'shop.pricing.v1.Pricing' });
  const orders = new GrpcContract(system, 'orders', { proto: 'contracts/shop/orders/v1/orders.proto', service: 'shop.orders.v1.Orders' });
  const orderPlaced = new EventContract(system, 'order-placed', {
    subject: 'shop.orders.placed.{region}',
    schema: z.object({ id: z.string(), region: z.string() }),
    stream: { name: 'ORDERS' },
  });
  const sales = system.domain('sales');
  new RustHotPath(sales, 'pricer', withServiceSettings('pricer', { serves: [pricing], deadline: '15ms' }, settings));
  new GoService(
    sales,
    'orders',
    withServiceSettings('orders', { serves: [orders], calls: [{ contract: pricing, timeout: '20ms', retries: 2 }], publishes: [orderPlaced], deadline: '150ms' }, settings),
  );
  new ElixirFanout(system.domain('live'), 'feed', withServiceSettings('feed', { subscribes: [orderPlaced], websocket: { connections: 120_000, perPod: 40_000 } }, settings));
  new TsApi(
    system.domain('edge'),
    'api',
    withServiceSettings('api', { calls: [{ contract: orders, timeout: '200ms', retries: 1 }], ingress: { host: 'api.shop.example' }, deadline: '500ms' }, settings),
  );
  return system;
}

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

interface Deployed {
  deployment: SystemDeployment;
  /** Every custom resource the program registered (what the engine would create). */
  resources: Registered[];
  /** Every resource's options as the program gave them, for parents and dependsOn. */
  options: Map<pulumi.Resource, pulumi.ResourceOptions>;
}

function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Runs the program once under fresh mocks, with this stack config (`polyglot:*` keys). */
async function deploy(config: Record<string, string> = {}, system: (settings: DeploySettings) => System = shop): Promise<Deployed> {
  const resources: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: () => {
        throw new Error('the program makes no provider calls');
      },
    },
    'polyglot-test',
    'dev',
    false,
  );
  pulumi.runtime.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [`polyglot:${k}`, v])));
  const options = new Map<pulumi.Resource, pulumi.ResourceOptions>();
  const deployment = new SystemDeployment(
    'shop',
    { system },
    { transformations: [({ resource, props, opts }) => (options.set(resource, opts), { props, opts })] },
  );
  // Wait until every child is registered: the groups create their resources asynchronously.
  const groups = [deployment.foundation, deployment.platform, deployment.domains];
  const children = (await Promise.all(groups.map((g) => settled(g.resources)))).flatMap((map) => Object.values(map) as pulumi.Resource[]);
  await Promise.all([...children, ...deployment.secrets, ...groups, deployment].map((r) => settled(r.urn)));
  return { deployment, resources, options };
}

/** A Secret's `data`, base64-decoded. */
const decoded = (data: Record<string, string>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
const kindOf = (type: string) => type.slice(type.lastIndexOf(':') + 1);
const keyOf = (kind: string, metadata: { namespace?: string; name: string }) => `${kind} ${metadata.namespace ?? ''}/${metadata.name}`;
const custom = (d: Deployed) => d.resources.filter((r) => r.type.startsWith('kubernetes:') && r.type !== 'kubernetes:yaml:ConfigGroup');

test('every synthesized object becomes exactly one resource, and each generated Secret one more', async () => {
  const d = await deploy();
  const plan = d.deployment.plan;
  const objects = [...plan.foundation, ...plan.platform, ...plan.domains].map((o) => keyOf(o.kind, o.metadata)).sort();
  const secrets = plan.generatedSecrets.map((s) => keyOf('Secret', s)).sort();
  const registered = custom(d).map((r) => keyOf(kindOf(r.type), r.inputs.metadata)).sort();
  assert.ok(objects.length > 40, `expected a full system, got ${objects.length} objects`);
  assert.ok(secrets.length > 0, 'the system has events, so it needs NATS passwords');
  assert.deepEqual(registered, [...objects, ...secrets].sort());
  assert.equal(new Set(registered).size, registered.length, 'no object registered twice');
  // Each resource carries the object as synthesized (a deep comparison for one of each kind).
  const byKey = new Map(custom(d).map((r) => [keyOf(kindOf(r.type), r.inputs.metadata), r.inputs]));
  for (const object of [...plan.foundation, ...plan.platform, ...plan.domains]) {
    const { apiVersion: _a, kind: _k, ...rest } = object;
    const inputs = byKey.get(keyOf(object.kind, object.metadata))!;
    assert.deepEqual(inputs.metadata, rest.metadata, keyOf(object.kind, object.metadata));
  }
});

test('the steps depend on each other in the safe order: CRDs and namespaces, secrets, NATS and telemetry, domains', async () => {
  const d = await deploy();
  const { foundation, platform, domains, secrets } = d.deployment;
  const dependsOn = (r: pulumi.Resource) => [d.options.get(r)?.dependsOn ?? []].flat();
  assert.deepEqual(dependsOn(foundation), []);
  for (const secret of secrets) assert.deepEqual(dependsOn(secret), [foundation]);
  assert.deepEqual(dependsOn(platform), [foundation, ...secrets]);
  assert.deepEqual(dependsOn(domains), [platform, ...secrets]);

  // Each object sits in the step its kind and file call for.
  const stepOf = new Map<pulumi.Resource, string>([
    [foundation, 'foundation'],
    [platform, 'platform'],
    [domains, 'domains'],
  ]);
  const kinds = (objects: readonly KubeObject[]) => new Set(objects.map((o) => o.kind));
  assert.deepEqual(kinds(d.deployment.plan.foundation), new Set(['Namespace']));
  assert.ok(kinds(d.deployment.plan.platform).has('Stream'), 'the NATS stream is part of the platform step');
  assert.ok(kinds(d.deployment.plan.platform).has('StatefulSet'), 'the NATS servers are part of the platform step');
  assert.ok(kinds(d.deployment.plan.platform).has('DaemonSet'), 'the telemetry agents are part of the platform step');
  assert.ok(d.deployment.plan.domains.every((o) => !o.metadata.namespace?.match(/^shop-(nats|telemetry)$/)), 'domains hold no platform object');
  const children = [...d.options].filter(([r, o]) => r instanceof pulumi.CustomResource && o.parent && stepOf.has(o.parent));
  assert.equal(children.length, d.deployment.plan.foundation.length + d.deployment.plan.platform.length + d.deployment.plan.domains.length);
});

test('Secrets hold random values as Pulumi secrets, keys with one value id agree, and no value reaches another resource', async () => {
  const d = await deploy();
  const values = new Map<string, string>();
  for (const secret of d.deployment.secrets) {
    const opts = d.options.get(secret)!;
    assert.ok(secret instanceof k8s.core.v1.Secret);
    assert.ok(opts.ignoreChanges?.length, 'existing values are kept on later runs');
  }
  for (const [index, plan] of d.deployment.plan.generatedSecrets.entries()) {
    const secret = d.deployment.secrets[index]!;
    assert.equal(await pulumi.isSecret(secret.data), true, `${plan.namespace}/${plan.name} data must be secret`);
    const data = decoded((await settled(pulumi.unsecret(secret.data))) as Record<string, string>);
    for (const [key, id] of Object.entries(plan.keys)) {
      const value = data[key]!;
      assert.match(value, /^[0-9a-f]{64}$/, 'a 256-bit random value');
      if (values.has(id)) assert.equal(value, values.get(id), `${plan.namespace}/${plan.name}.${key} must equal the other keys of ${id}`);
      values.set(id, value);
    }
  }
  assert.ok([...new Set(values.values())].length === values.size, 'different ids, different values');
  const elsewhere = JSON.stringify(custom(d).filter((r) => r.type !== 'kubernetes:core/v1:Secret'));
  const files = [...d.deployment.system.files().values()].join('\n');
  for (const value of values.values()) {
    assert.ok(!elsewhere.includes(value), 'a secret value is in another resource');
    assert.ok(!files.includes(value), 'a secret value is in a synthesized file');
  }
  // A second run makes new random values: only ignoreChanges keeps the deployed ones.
  const again = await deploy();
  const first = decoded((await settled(pulumi.unsecret(again.deployment.secrets[0]!.data))) as Record<string, string>);
  assert.ok(!Object.values(first).some((v) => [...values.values()].includes(v)));
});

test('a stack config change shows up in exactly the resources it should', async () => {
  const before = await deploy();
  const after = await deploy({ imageTags: JSON.stringify({ orders: '2.4.0' }) });
  const inputs = (d: Deployed) => new Map(custom(d).filter((r) => r.type !== 'kubernetes:core/v1:Secret').map((r) => [keyOf(kindOf(r.type), r.inputs.metadata), JSON.stringify(r.inputs)]));
  const a = inputs(before);
  const b = inputs(after);
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  const changed = [...a.keys()].filter((key) => a.get(key) !== b.get(key));
  assert.ok(changed.includes('Deployment shop-sales/orders'), `changed: ${changed.join(', ')}`);
  const deployment = custom(after).find((r) => keyOf(kindOf(r.type), r.inputs.metadata) === 'Deployment shop-sales/orders')!;
  assert.equal(deployment.inputs.spec.template.spec.containers[0].image, 'registry.example.com/shop/orders:2.4.0');
  // Only the objects of the orders service carry its version.
  for (const key of changed) {
    const r = custom(after).find((x) => keyOf(kindOf(x.type), x.inputs.metadata) === key)!;
    assert.equal(r.inputs.metadata.labels?.['app.kubernetes.io/name'], 'orders', `${key} changed but is not an object of orders`);
  }

  // feed sizes its autoscaler from its connections (minimum 3): a floor of 3 holds for every service.
  const floor = await deploy({ replicaFloor: '3', version: '3.0.0' });
  const deployments = custom(floor).filter((r) => r.type === 'kubernetes:apps/v1:Deployment' && r.inputs.metadata.namespace.startsWith('shop-') && !r.inputs.metadata.namespace.match(/nats|telemetry/));
  assert.ok(deployments.length >= 3);
  assert.ok(deployments.some((r) => r.inputs.spec.replicas === 3), 'a service of 2 replicas was raised to the floor');
  for (const r of deployments) {
    const replicas = r.inputs.spec.replicas;
    if (replicas !== undefined) assert.ok(replicas >= 3, `${r.inputs.metadata.name} runs ${replicas}`);
    assert.match(r.inputs.spec.template.spec.containers[0].image, /:3\.0\.0$/);
  }
  const hpas = custom(floor).filter((r) => r.type.endsWith(':HorizontalPodAutoscaler'));
  for (const r of hpas) assert.ok(r.inputs.spec.minReplicas >= 3, `${r.inputs.metadata.name} minReplicas ${r.inputs.spec.minReplicas}`);
});

test('bad stack config stops the program with the key and a fix, before anything is registered', async () => {
  await assert.rejects(deploy({ replicaFloor: '0' }), (error: Error) => /polyglot:replicaFloor/.test(error.message) && /pulumi config set/.test(error.message));
  // feed's autoscaler is sized from its connections (3): a higher floor is refused, not ignored.
  await assert.rejects(deploy({ replicaFloor: '4' }), (error: Error) => /shop\/live\/feed runs 3/.test(error.message) && /withServiceSettings/.test(error.message));
  await assert.rejects(deploy({ environment: 'staging' }, () => shop({ imageTags: {} })), (error: Error) => /did not apply polyglot:environment \(staging/.test(error.message));
  await assert.rejects(deploy({ imageTags: JSON.stringify({ ordrs: '2.4.0' }) }), (error: Error) => /'ordrs'/.test(error.message) && /orders/.test(error.message));
});

test('the plan matches the synthesized output (no object is lost or added between synth and deploy)', () => {
  const system = shop({ imageTags: {} });
  const plan = deployPlan(system);
  const objects = [...system.files()].filter(([p]) => p.endsWith('.k8s.yaml')).flatMap(([, c]) => c.split(/^---$/m).filter((d) => /\bkind:/.test(d)));
  assert.equal(plan.foundation.length + plan.platform.length + plan.domains.length, objects.length);
});
