import type { DeclaredModel } from '../../diagnose/index.js';
import type { FixtureCall, FixtureEntry, FixtureModel, FixtureService, Latency } from '../support/trace-fixtures.js';

/** What a fixture made from a model is built to show, so a test knows the answers. */
export interface ModelFixture {
  readonly fixture: FixtureModel;
  /** A call the model does not declare (its operation names a made-up gRPC service). */
  readonly undeclared: { readonly caller: string; readonly callee: string; readonly operation: string };
  /** A declared call whose callee is sometimes slower than the call's timeout. */
  readonly slow: { readonly caller: string; readonly callee: string; readonly timeoutMs: number };
  /** A declared call retried one more time than declared, on some calls. */
  readonly retried: { readonly caller: string; readonly callee: string; readonly retries: number };
  /** A service sometimes slower than its deadline. */
  readonly late: { readonly service: string; readonly deadlineMs: number };
  /** A service whose spans carry no `telemetry.sdk.language`: the report takes it from the model. */
  readonly unlabelled: { readonly service: string; readonly language: string | undefined };
}

/** Quick, healthy work: far below any deadline or timeout a model declares. */
const QUICK: Latency = { min: 0.4, max: 1.2 };
const WIRE: Latency = { min: 0.1, max: 0.4 };
/** How often the injected problems happen: well above 1%, so each moves its p99. */
const OFTEN = 0.04;

/**
 * A trace fixture generated from a declared model, not from hard-coded names: every service
 * and call of the model, healthy, plus one of each problem `polyglot diagnose --model` flags —
 * an undeclared call, a callee slower than the call's timeout, a call retried more than
 * declared and a service slower than its deadline — and one service without a language label.
 *
 * Needs at least two declared calls and a service its first root does not call.
 */
export function fixtureFromModel(model: DeclaredModel): ModelFixture {
  const services = [...model.services].sort((a, b) => compare(a.id, b.id));
  const edges = [...model.edges].sort((a, b) => compare(a.caller, b.caller) || compare(a.callee, b.callee) || compare(a.contract, b.contract));
  if (edges.length < 2) throw new Error('the model needs at least two declared calls to show each problem');
  const name = (id: string): string => id.slice(id.indexOf('/') + 1);
  const names = new Set(services.map((s) => name(s.id)));
  if (names.size !== services.length) throw new Error('the fixture names services by name: the model has two with one name');

  const called = new Set(edges.map((e) => e.callee));
  const roots = services.filter((s) => !called.has(s.id));
  const [entry, ...moreRoots] = roots;
  if (entry === undefined) throw new Error('every service is called by another: no request could enter the system');

  const slow = edges[0]!;
  const retried = edges[1]!;
  // The service with the tightest deadline among the callees, other than the slow call's own callee.
  const late = services
    .filter((s) => called.has(s.id) && s.id !== slow.callee)
    .sort((a, b) => a.deadlineMs - b.deadlineMs || compare(a.id, b.id))[0];
  if (late === undefined) throw new Error('the model needs a second called service to show a missed deadline');
  const entryCalls = new Set(edges.filter((e) => e.caller === entry.id).map((e) => e.callee));
  const stranger = services.find((s) => s.id !== entry.id && !entryCalls.has(s.id));
  if (stranger === undefined) throw new Error(`${entry.id} calls every service: no call is left undeclared`);
  const unlabelled = services[services.length - 1]!;

  const spike = (base: Latency, from: number, to: number): Latency => ({ ...base, spike: { probability: OFTEN, min: from, max: to } });
  const calls: FixtureCall[] = edges.map((e) => ({
    caller: name(e.caller),
    callee: name(e.callee),
    rpcService: e.rpcService,
    rpcMethod: 'Call',
    runtime:
      e === slow
        ? spike(QUICK, 1.3 * e.timeoutMs, 1.5 * e.timeoutMs)
        : e.callee === late.id
          ? spike(QUICK, 1.3 * late.deadlineMs, 1.5 * late.deadlineMs)
          : QUICK,
    boundary: WIRE,
    ...(e === retried ? { retry: { probability: OFTEN, retries: e.retries + 1 } } : {}),
  }));
  const undeclaredService = 'polyglot.fixture.v1.Undeclared';
  calls.push({ caller: name(entry.id), callee: name(stranger.id), rpcService: undeclaredService, rpcMethod: 'Peek', runtime: QUICK, boundary: WIRE });

  const fixtureServices: FixtureService[] = services.map((s) => ({
    name: name(s.id),
    namespace: s.id.slice(0, s.id.indexOf('/')),
    ...(s === unlabelled || s.language === undefined ? {} : { language: s.language }),
  }));
  const asEntry = (id: string): FixtureEntry => ({ service: name(id), route: `GET /${name(id)}`, runtime: QUICK });
  return {
    fixture: { services: fixtureServices, entry: asEntry(entry.id), moreEntries: moreRoots.map((r) => asEntry(r.id)), calls, messaging: [] },
    undeclared: { caller: entry.id, callee: stranger.id, operation: `${undeclaredService}/Peek` },
    slow: { caller: slow.caller, callee: slow.callee, timeoutMs: slow.timeoutMs },
    retried: { caller: retried.caller, callee: retried.callee, retries: retried.retries },
    late: { service: late.id, deadlineMs: late.deadlineMs },
    unlabelled: { service: unlabelled.id, language: unlabelled.language },
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
