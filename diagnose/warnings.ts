/** Machine-readable category of a {@link DiagnoseWarning}. */
export type WarningCode =
  | 'malformed-line'
  | 'truncated-line'
  | 'not-traces'
  | 'invalid-spans'
  | 'clock-skew'
  | 'negative-lag'
  | 'unpaired-clients'
  | 'unpaired-servers'
  | 'unpaired-messages'
  | 'no-data';

/** Something in the input that was skipped, clamped or could not be explained. */
export interface DiagnoseWarning {
  readonly code: WarningCode;
  readonly message: string;
  /** 1-based line in the input file, for line-level problems. */
  readonly line?: number;
}

/**
 * Collects warnings, keeping at most `perCode` of each code: a corrupt 1 GB file must not turn
 * into a million warnings held in memory. The rest are counted and summarised.
 */
export class WarningCollector {
  private readonly kept: DiagnoseWarning[] = [];
  private readonly counts = new Map<WarningCode, number>();

  /** @param perCode how many warnings of one code are kept verbatim. */
  constructor(private readonly perCode = 20) {}

  add(warning: DiagnoseWarning): void {
    const count = (this.counts.get(warning.code) ?? 0) + 1;
    this.counts.set(warning.code, count);
    if (count <= this.perCode) this.kept.push(warning);
  }

  /** The kept warnings in arrival order, plus one "…and N more" line per overflowing code. */
  list(): DiagnoseWarning[] {
    const overflow: DiagnoseWarning[] = [];
    for (const [code, count] of this.counts) {
      if (count > this.perCode) {
        overflow.push({ code, message: `…and ${count - this.perCode} more like this (${code})` });
      }
    }
    return [...this.kept, ...overflow];
  }
}
