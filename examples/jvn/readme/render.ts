import {
  ElixirFanout,
  budgetReport,
  formatDuration,
  parseQuantity,
  runtimeProfile,
  type Inspection,
  type ServiceBudgetReport,
  type SystemModel,
  type Workload,
} from 'generator-polyglot';
import { resolveWalk, type ResolvedWalk, type Walk } from './walk.js';

/** Where the pictures are: the files synth writes under `diagrams/`, as committed in the jvn snapshot. */
export interface Pictures {
  /** Path of synth's output folder as a reader of the README reaches it, e.g. `dist`. */
  readonly outdir: string;
  /** Path of the committed copy of the output, relative to the README. */
  readonly committedCopy: string;
  /** The diagram files synth wrote, relative to the output folder (`diagrams/system.svg`…). */
  readonly diagrams: readonly string[];
}

/**
 * The README of a system, from its checked model: what runs where, the capacity arithmetic, one
 * request hop by hop with its deadline budget, every budget, the events and the datastores.
 * Deterministic: no dates, no locale, everything sorted the way the model sorts it.
 */
export function renderReadme(inspection: Inspection, walk: Walk, pictures: Pictures, intro: string): string {
  const { model, problems } = inspection;
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (errors > 0) throw new Error(`the model has ${errors} error(s); run \`polyglot check\` and fix them before generating its README`);
  const budgets = budgetReport(model);
  const resolved = resolveWalk(model, budgets, walk);
  const picture = (name: string) => {
    const file = `diagrams/${name}.svg`;
    if (!pictures.diagrams.includes(file)) throw new Error(`synth wrote no ${file}`);
    return `${pictures.committedCopy}/${file}`;
  };
  const warnings = problems.length;
  return [
    `# ${model.name}`,
    '',
    '<!-- Generated from system.ts by readme/main.ts (`npm run jvn:readme`). Do not edit by hand:',
    '     test/examples/jvn-readme.test.ts fails when this file and the model disagree. -->',
    '',
    intro,
    '',
    summary(model, warnings),
    '',
    `![The ${model.name} system: domains and the contracts between them](${picture('system')})`,
    '',
    `The system view is what \`npm start -- --diagrams\` draws to \`${pictures.outdir}/diagrams/system.svg\` (a plain \`npm start\` writes its Mermaid source, \`system.mmd\`); the picture shown is the committed copy in \`${pictures.committedCopy}\`, which the snapshot test keeps byte-equal to synth's output. Each domain has its own view beside it (${pictures.diagrams.filter((d) => d !== 'diagrams/system.svg').map((d) => `\`${d}\``).join(', ')}).`,
    '',
    ...servicesSection(model),
    ...capacitySection(model),
    ...walkSection(resolved, model, picture),
    ...budgetsSection(model, budgets),
    ...eventsSection(model),
    ...endpointsSection(model),
    '## Regenerating this file',
    '',
    'Change `system.ts`, then run `npm run jvn:readme` and commit the result. `npm start` synthesizes the system into `dist/`; `polyglot check examples/jvn` runs the checks alone.',
    '',
  ].join('\n');
}

function summary(model: SystemModel, problems: number): string {
  const runtimes = [...new Set(model.services.map((s) => runtimeName(s)))];
  const streams = model.eventContracts.filter((e) => e.stream).length;
  return (
    `${count(model.services.length, 'service')} in ${count(runtimes.length, 'runtime')} (${runtimes.join(', ')}) across ${count(model.domains.length, 'domain')}, ` +
    `connected by ${count(model.grpcContracts.length, 'gRPC contract')} and ${count(model.eventContracts.length, 'event')} (${streams} kept in JetStream streams), ` +
    `with ${count(model.externalEndpoints.length, 'external endpoint')}. The checks (deadline budgets, retry amplification, cycles, dangling contracts, subject clashes, buf lint and breaking, the event lock) report ${problems === 0 ? 'no problem' : count(problems, 'warning')}.`
  );
}

function servicesSection(model: SystemModel): string[] {
  const rows = model.services.map((s) => [
    s.domain.name,
    `**${s.name}**`,
    runtimeName(s),
    list(s.serves.map((c) => `\`${c.name}\``)),
    list(s.calls.map((c) => `\`${c.contract.name}\` ${c.timeout} × ${c.retries + 1}`)),
    s.deadline,
    replicas(s),
    list(s.uses.map((u) => `${u.endpoint.name} (${u.endpoint.protocol})`)),
  ]);
  return [
    '## Services',
    '',
    'A call reads `contract timeout × tries`: the per-try timeout, and the first try plus its retries.',
    '',
    ...table(['domain', 'service', 'runtime', 'serves', 'calls', 'deadline', 'replicas', 'uses'], rows),
    '',
  ];
}

function capacitySection(model: SystemModel): string[] {
  const lines: string[] = [];
  for (const service of model.services) {
    if (!(service instanceof ElixirFanout) || !service.websocket || !service.autoscaling) continue;
    const { connections, perPod, headroom } = service.websocket;
    const { minReplicas, maxReplicas, targetCpuUtilization } = service.autoscaling;
    const memRequest = parseQuantity(service.resources.memoryRequest);
    const memLimit = parseQuantity(service.resources.memoryLimit);
    const cpuRequest = parseQuantity(service.resources.cpuRequest);
    lines.push(
      `## Capacity: ${thousands(connections)} concurrent websockets`,
      '',
      `**${service.name}** (${runtimeName(service)}, domain ${service.domain.name}) holds the websockets. Its model says it must hold ${thousands(connections)} connections at peak and that one pod holds ${thousands(perPod)}; the autoscaler bounds follow:`,
      '',
      '```text',
      `minReplicas = max(2, ceil(connections / perPod))            = ceil(${thousands(connections)} / ${thousands(perPod)}) = ceil(${round(connections / perPod, 2)}) = ${minReplicas}`,
      `maxReplicas = ceil(connections × headroom / perPod)         = ceil(${thousands(connections)} × ${headroom} / ${thousands(perPod)}) = ceil(${round((connections * headroom) / perPod, 2)}) = ${maxReplicas}`,
      `memory per connection (request / perPod)                    = ${service.resources.memoryRequest} / ${thousands(perPod)} = ${round(memRequest / perPod / 1024, 1)} KiB`,
      `memory requested at min / max                               = ${minReplicas} × ${service.resources.memoryRequest} = ${gib(minReplicas * memRequest)}  /  ${maxReplicas} × ${service.resources.memoryRequest} = ${gib(maxReplicas * memRequest)}`,
      `memory limit at min / max                                   = ${minReplicas} × ${service.resources.memoryLimit} = ${gib(minReplicas * memLimit)}  /  ${maxReplicas} × ${service.resources.memoryLimit} = ${gib(maxReplicas * memLimit)}`,
      `CPU requested at min / max                                  = ${minReplicas} × ${service.resources.cpuRequest} = ${round(minReplicas * cpuRequest, 2)}  /  ${maxReplicas} × ${service.resources.cpuRequest} = ${round(maxReplicas * cpuRequest, 2)} cores`,
      '```',
      '',
      `At the minimum, ${minReplicas} pods × ${thousands(perPod)} = ${thousands(minReplicas * perPod)} sockets of comfortable room for the ${thousands(connections)} peak. ` +
        (minReplicas * perPod - perPod >= connections
          ? `Losing one pod (the disruption budget evicts one at a time) still leaves ${thousands((minReplicas - 1) * perPod)}.`
          : `Losing one pod at peak (the disruption budget evicts one at a time) leaves ${thousands((minReplicas - 1) * perPod)}: its clients reconnect to the others, which then hold more than \`perPod\` until the autoscaler (target ${targetCpuUtilization}% CPU) adds pods, up to ${maxReplicas}.`) +
        ` The per-pod memory is ${sameAsProfile(service) ? `the ${runtimeName(service)} runtime profile's` : 'set in the model'} (request ${service.resources.memoryRequest}, limit ${service.resources.memoryLimit}); \`perPod\` must stay what that memory holds.`,
      '',
    );
  }
  const scaled = model.services.filter((s) => !(s instanceof ElixirFanout && s.websocket));
  lines.push(
    'The other services, with the resources of their runtime profile unless the model overrides them:',
    '',
    ...table(
      ['service', 'runtime', 'replicas', 'CPU request / limit', 'memory request / limit', 'memory requested at min'],
      scaled.map((s) => [s.name, runtimeName(s), replicas(s), `${s.resources.cpuRequest} / ${s.resources.cpuLimit}`, `${s.resources.memoryRequest} / ${s.resources.memoryLimit}`, gib((s.autoscaling?.minReplicas ?? s.replicas) * parseQuantity(s.resources.memoryRequest))]),
    ),
    '',
  );
  return lines;
}

function walkSection(resolved: ResolvedWalk, model: SystemModel, picture: (name: string) => string): string[] {
  const { walk, entry, budget, calls, events, services, datastores } = resolved;
  const runtimes = [...new Set(services.map(runtimeName))];
  const lines = [
    `## One request, hop by hop: ${walk.title}`,
    '',
    `${walk.story} The request crosses ${count(runtimes.length, 'runtime')} (${runtimes.join(', ')}), ${count(datastores.length, 'datastore')} (${datastores.map((d) => `${d.endpoint.name}, ${d.endpoint.protocol}`).join('; ')}) and the NATS event spine.`,
    '',
    `![The ${entry.domain.name} domain](${picture(entry.domain.name)})`,
    '',
    `1. The request enters **${entry.name}** (${runtimeName(entry)}, namespace \`${entry.namespace}\`), which promises its caller an answer within **${entry.deadline}**.`,
  ];
  let step = 2;
  for (const { cost, why } of calls) {
    const c = cost;
    lines.push(
      `${step++}. ${entry.name} calls \`${c.contract.name}\` (\`${c.contract.service}\`, [${c.contract.proto}](${c.contract.proto})) on **${c.callee.name}** (${runtimeName(c.callee)}): ${why} ` +
        `Each try may take ${c.timeout} and it retries ${times(c.retries)}; ${c.callee.name} promises ${c.callee.deadline}, so ${c.cappedByTimeout ? `the ${c.timeout} timeout cuts a try first` : `a try lasts at most ${formatDuration(c.tryMs)}`}. ` +
        `Worst case: ${formatDuration(c.tryMs)} × ${c.retries + 1} + ${formatDuration(c.backoffMs)} backoff = **${formatDuration(c.totalMs)}**.` +
        uses(c.callee, 'reads and writes', 'within that time'),
    );
  }
  for (const { event, publisher, subscribers, why } of events) {
    const stream = event.stream ? `kept in the JetStream stream \`${event.stream.name}\` (${event.stream.maxAge}, ${count(event.stream.replicas, 'replica')}, ${event.stream.storage} storage)` : 'on core NATS (no stream: a lost message only leaves a cache stale)';
    const readers = subscribers.map(({ subscriber, durable }) => `**${subscriber.name}** (${runtimeName(subscriber)}${durable ? ', durable consumer: replays what it missed' : ', as it comes'})`);
    lines.push(`${step++}. **${publisher.name}** publishes \`${event.name}\` on \`${event.subject}\`, ${stream}: ${why} Read by ${readers.join(' and ')}.${uses(publisher, 'keeps its state in', 'before it publishes')}`);
  }
  const left = budget.deadlineMs - budget.callsMs;
  lines.push(
    '',
    `Where ${entry.name}'s ${entry.deadline} go, as the \`deadline-budget\` check computed them (calls ${model.callPolicy.callOrder === 'sequential' ? 'one after another' : 'in parallel'}, backoff ${model.callPolicy.initialBackoff} doubling up to ${model.callPolicy.maxBackoff}):`,
    '',
    ...table(
      ['hop', 'contract', 'timeout', 'tries', 'one try at most', 'backoff', 'worst case'],
      calls.map(({ cost: c }) => [`${entry.name} → ${c.callee.name}`, `\`${c.contract.name}\``, c.timeout, String(c.retries + 1), `${formatDuration(c.tryMs)}${c.cappedByTimeout ? ' (timeout)' : ` (${c.callee.name}'s deadline)`}`, formatDuration(c.backoffMs), formatDuration(c.totalMs)]),
    ),
    `| **calls together** | | | | | | **${formatDuration(budget.callsMs)}** |`,
    `| **${entry.name}'s own work** | | | | | | **${formatDuration(left)}** of ${entry.deadline} |`,
    '',
    `The checks held this request to: every call's worst case together (${formatDuration(budget.callsMs)}) within ${entry.name}'s ${entry.deadline} deadline (\`deadline-budget\`); ` +
      `each callee's promise within the caller's timeout (${calls.map(({ cost: c }) => `${c.callee.name} ${c.callee.deadline} ≤ ${c.timeout}`).join(', ')}: \`timeout-below-deadline\`); ` +
      `each timeout within ${entry.name}'s own deadline (\`timeout-above-deadline\`); and at most ${budget.amplification} tries on any one service for this one request, against a limit of ${model.callPolicy.maxRetryAmplification} (\`retry-amplification\`). ` +
      `The event tail runs after ${entry.name} has answered: it spends none of this deadline.`,
    '',
  );
  return lines;
}

function budgetsSection(model: SystemModel, budgets: readonly ServiceBudgetReport[]): string[] {
  const withCalls = budgets.filter((b) => b.calls.length > 0);
  return [
    '## Every deadline budget',
    '',
    `The same arithmetic for every service that calls another. "Calls" is the worst case of its calls together (${model.callPolicy.callOrder}); what is left of the deadline is its own work's, datastores included.`,
    '',
    ...table(
      ['service', 'deadline', 'calls', 'worst case of each call', 'left for its own work', 'max tries below'],
      withCalls.map((b) => [
        b.service.name,
        b.deadline,
        formatDuration(b.callsMs),
        b.calls.map((c) => `${c.callee.name} ${formatDuration(c.tryMs)} × ${c.retries + 1} + ${formatDuration(c.backoffMs)} = ${formatDuration(c.totalMs)}`).join('; '),
        formatDuration(b.deadlineMs - b.callsMs),
        String(b.amplification),
      ]),
    ),
    '',
    `Services that call nothing spend their whole deadline on their own work: ${budgets.filter((b) => b.calls.length === 0).map((b) => `${b.service.name} ${b.deadline}`).join(', ')}.`,
    '',
  ];
}

function eventsSection(model: SystemModel): string[] {
  return [
    '## Events on the spine',
    '',
    'Each service connects to NATS as its own user and may publish and subscribe to exactly the subjects below (`nats/nats.conf`). A durable subscriber reads through its own JetStream consumer and replays what it missed while it was down.',
    '',
    ...table(
      ['event', 'subject', 'stream', 'published by', 'read by'],
      model.eventContracts.map((e) => [
        `\`${e.name}\``,
        `\`${e.subject}\``,
        e.stream ? `${e.stream.name} (${e.stream.maxAge}, ×${e.stream.replicas})` : 'core NATS',
        model.publishersOf(e).map((p) => p.name).join(', '),
        model.subscribersOf(e).map(({ subscriber, subscription }) => `${subscriber.name}${subscription.durable ? ' (durable)' : ''}`).join(', '),
      ]),
    ),
    '',
  ];
}

function endpointsSection(model: SystemModel): string[] {
  return [
    '## External datastores',
    '',
    'Outside the cluster, declared with `ExternalEndpoint`. Each user gets one egress rule to the CIDR block and port (nothing else leaves the cluster), its connection Secret as environment variables, and a `dependencies` entry in its service config. The Secrets hold credentials that exist already: `polyglot secrets` prints the `kubectl create secret generic` command for each.',
    '',
    ...table(
      ['endpoint', 'protocol', 'host:port', 'egress allowed to', 'used by', 'Secret → environment'],
      model.externalEndpoints.map((e) => [
        `**${e.name}**`,
        e.protocol,
        `${e.host}:${e.port}`,
        `${e.cidr} ${e.transport}/${e.port}`,
        model.usersOf(e).map((u) => u.name).join(', '),
        model
          .usersOf(e)
          .map((u) => `\`${e.secretNameFor(u, u.uses.find((x) => x.endpoint === e))}\` → ${e.secretKeys.map((k) => `$${e.envName(k)}`).join(', ')}`)
          .join('; '),
      ]),
    ),
    '',
  ];
}

function uses(service: Workload, verb: string, when: string): string {
  if (service.uses.length === 0) return '';
  return ` ${service.name} ${verb} ${service.uses.map((u) => `**${u.endpoint.name}** (${u.endpoint.protocol} at ${u.endpoint.host}:${u.endpoint.port})`).join(' and ')} ${when}.`;
}

function sameAsProfile(s: Workload): boolean {
  const profile = runtimeProfile(s.runtime)?.resources;
  return profile?.memoryRequest === s.resources.memoryRequest && profile?.memoryLimit === s.resources.memoryLimit;
}

function replicas(s: Workload): string {
  return s.autoscaling ? `${s.autoscaling.minReplicas}–${s.autoscaling.maxReplicas} (autoscaled)` : String(s.replicas);
}

function runtimeName(s: Workload): string {
  return runtimeProfile(s.runtime)?.displayName ?? s.runtime;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`)];
}

function list(items: readonly string[]): string {
  return items.length > 0 ? items.join(', ') : '—';
}

function times(n: number): string {
  return n === 0 ? 'never' : n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `340,000`, whatever the locale. */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function round(n: number, digits: number): string {
  return String(Math.round(n * 10 ** digits) / 10 ** digits);
}

/** `8.75 GiB`, or `192 MiB` below one GiB. */
function gib(bytes: number): string {
  return bytes < 2 ** 30 ? `${round(bytes / 2 ** 20, 1)} MiB` : `${round(bytes / 2 ** 30, 2)} GiB`;
}
