/**
 * What a system declares, as plain data: the side of the comparison that comes from the model.
 * diagnose/ never imports the model (ARCHITECTURE.md); the CLI builds this from the check report
 * of `polyglot check` and hands it over.
 */

/** A declared service. */
export interface DeclaredService {
  /** As traces name it: `service.namespace/service.name` (the domain and the service's name). */
  readonly id: string;
  /** The `telemetry.sdk.language` its runtime reports. */
  readonly language?: string | undefined;
  /** The deadline it promises its callers, in milliseconds. */
  readonly deadlineMs: number;
}

/** A declared synchronous call from one service to the service that serves the contract. */
export interface DeclaredEdge {
  /** Service ids, as in {@link DeclaredService.id}. */
  readonly caller: string;
  readonly callee: string;
  /** The contract's name in the model. */
  readonly contract: string;
  /** The fully qualified gRPC service (`rpc.service` on the spans). */
  readonly rpcService: string;
  /** Per-try timeout, in milliseconds. */
  readonly timeoutMs: number;
  /** Retries after the first try. */
  readonly retries: number;
}

/** The model a trace file is checked against. */
export interface DeclaredModel {
  /** The system's name, for the report. */
  readonly system: string;
  readonly services: readonly DeclaredService[];
  readonly edges: readonly DeclaredEdge[];
}
