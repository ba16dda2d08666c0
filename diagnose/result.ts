import type { ModelCheck } from './model-check.js';
import type { Percentiles } from './stats.js';
import type { DiagnoseWarning } from './warnings.js';

/**
 * Where the slowest 1% of calls on an edge spend their time: computed over the pairs whose
 * client duration is at or above the edge's p99 (to within the sketch's relative accuracy).
 */
export interface TailBreakdown {
  /** p99 of the client span duration. */
  readonly p99ClientMs: number;
  /** How many pairs make up the slowest 1%. */
  readonly pairs: number;
  /** Σ boundary / Σ client duration over the slowest 1%, in [0, 1]. */
  readonly boundaryShare: number;
  /** 1 − boundaryShare: time inside the callee (its server span). */
  readonly runtimeShare: number;
  /** Of the callee's time in the slowest 1%, the part in its own code rather than its downstream calls. */
  readonly selfShareOfRuntime: number;
}

/** Retries per call, counted from the client spans one server span made to the same operation. */
export interface RetryCounts {
  /** Calls seen from caller server spans (a call is all tries of one operation under one span). */
  readonly calls: number;
  /** Calls with more than one try. */
  readonly retried: number;
  /** The most retries (tries − 1) any one call made. */
  readonly max: number;
  /**
   * Calls by retries: entry k counts the calls that made k retries; the last entry also holds
   * every call with more.
   */
  readonly perCall: readonly number[];
}

/** One caller → callee edge (per operation). All durations in milliseconds. */
export interface EdgeSummary {
  readonly caller: string;
  readonly callerLanguage?: string | undefined;
  readonly callee: string;
  readonly calleeLanguage?: string | undefined;
  readonly operation: string;
  readonly pairs: number;
  readonly clientMs: Percentiles;
  /** The callee's server span duration: the runtime side. */
  readonly serverMs: Percentiles;
  /** Server duration minus its own outgoing calls: the callee's own code. */
  readonly serverSelfMs: Percentiles;
  /** Client − server duration: network, serialization, queueing. */
  readonly boundaryMs: Percentiles;
  readonly tail: TailBreakdown;
  /** Retries seen on this edge: client spans of the same operation under one caller span. */
  readonly retries: RetryCounts;
  /** Pairs whose server span outlasted the client span (clock skew); their boundary counts as 0. */
  readonly clockSkewClamped: number;
  /**
   * Other pairs whose server span started before or ended after the client span: the clocks
   * disagree, but durations (and so runtime and boundary) are unaffected.
   */
  readonly clockSkewShifted: number;
}

/** The conclusion for one slow path. */
export interface Verdict {
  /** 1 = slowest edge by p99 client duration. */
  readonly rank: number;
  readonly caller: string;
  readonly callee: string;
  readonly operation: string;
  /** Which side dominates the slowest 1%. */
  readonly side: 'boundary' | 'runtime';
  /** That side's share of p99, in [0, 1]. */
  readonly share: number;
  readonly p99ClientMs: number;
  /** One line, e.g. "the boundary is 62% of p99 on gateway → ranking". */
  readonly summary: string;
  /** What that means and where to look next. */
  readonly detail: string;
}

/** Time spent inside one service's server spans. */
export interface ServiceSummary {
  readonly service: string;
  readonly language?: string | undefined;
  readonly serverSpans: number;
  readonly durationMs: Percentiles;
  readonly selfMs: Percentiles;
}

/** Producer start → consumer start lag on one messaging subject. */
export interface HopSummary {
  readonly subject: string;
  readonly producers: readonly string[];
  readonly consumers: readonly string[];
  readonly hops: number;
  readonly lagMs: Percentiles;
  /** Hops where the consumer started before the producer (clock skew); their lag counts as 0. */
  readonly negativeLagClamped: number;
}

/** A group of unpaired spans: which service, and whom or what they were about. */
export interface UnpairedGroup {
  readonly service: string;
  readonly target: string;
  readonly count: number;
}

/** Spans that found no counterpart. */
export interface UnpairedSummary {
  /** CLIENT spans with no SERVER child: usually the callee is not instrumented. */
  readonly clientsWithoutServer: number;
  readonly clientGroups: readonly UnpairedGroup[];
  /** SERVER spans whose parent is missing: the caller is not instrumented or its spans were dropped. */
  readonly serversWithoutClient: number;
  readonly serverGroups: readonly UnpairedGroup[];
  readonly producersWithoutConsumer: number;
  readonly consumersWithoutProducer: number;
}

/** Counts for the whole input. */
export interface DiagnoseTotals {
  readonly bytes: number;
  readonly lines: number;
  readonly skippedLines: number;
  readonly spans: number;
  readonly invalidSpans: number;
  readonly pairs: number;
  readonly hops: number;
}

/** Everything `diagnose` found, ready for the report, the chart or `--json`. */
export interface DiagnoseResult {
  readonly file: string;
  readonly totals: DiagnoseTotals;
  /** The top slow paths, slowest first. */
  readonly verdicts: readonly Verdict[];
  /** All edges, slowest p99 client duration first. */
  readonly edges: readonly EdgeSummary[];
  readonly services: readonly ServiceSummary[];
  readonly hops: readonly HopSummary[];
  readonly unpaired: UnpairedSummary;
  readonly warnings: readonly DiagnoseWarning[];
  /**
   * Every percentile is approximate: within this relative error of the exact one (0.01 = 1%),
   * from a quantile sketch, so memory stays flat whatever the input's size.
   */
  readonly percentileRelativeError: number;
  /** The traces checked against the declared model, when one was given. */
  readonly model?: ModelCheck;
}
