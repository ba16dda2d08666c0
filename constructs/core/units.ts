import { z } from 'zod';

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/;
const MS_PER_UNIT = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/**
 * Parses a duration string such as `'30ms'`, `'2s'`, `'1.5m'` or `'1h'` into milliseconds.
 * Returns `undefined` for anything else, so callers can report the problem with context.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const unit = match[2] as keyof typeof MS_PER_UNIT;
  return Number(match[1]) * MS_PER_UNIT[unit];
}

/** Formats milliseconds the way a person writes them: `30ms`, `2s`, `1.5m`. */
export function formatDuration(ms: number): string {
  if (ms >= 3_600_000 && ms % 60_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 60_000 && ms % 1_000 === 0) return `${ms / 60_000}m`;
  if (ms >= 1_000) return `${ms / 1_000}s`;
  return `${Math.round(ms * 1000) / 1000}ms`;
}

/**
 * The longest duration polyglot writes anywhere: past it, milliseconds stop being exact integers
 * and JSON writes `null` (a timeout of `1e400h` became `"timeoutMs": null`).
 */
const MAX_DURATION_MS = Number.MAX_SAFE_INTEGER;

/** A zod schema for a positive duration string; the parsed value stays a string. */
export const durationString = z
  .string()
  .refine((text) => (parseDuration(text) ?? 0) > 0, {
    message: "expected a positive duration such as '30ms', '2s', '5m' or '1h'",
    abort: true,
  })
  .refine((text) => (parseDuration(text) ?? 0) <= MAX_DURATION_MS, { message: 'is too long to be a duration', abort: true });

/**
 * A positive duration of at most `max` (e.g. `'1h'`): a per-try timeout of a year is not a bound,
 * and a stream age beyond what NATS stores is not kept.
 */
export function durationAtMost(max: string, why: string) {
  const maxMs = parseDuration(max)!;
  return durationString.refine((text) => (parseDuration(text) ?? 0) <= maxMs, { message: `is longer than ${max}: ${why}`, abort: true });
}

/** The one Kubernetes quantity syntax polyglot accepts: `'250m'`, `'1'`, `'512Mi'`, `'10Gi'`. */
const QUANTITY = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const QUANTITY_FACTORS: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** A Kubernetes resource quantity: `'250m'`, `'1'`, `'512Mi'`, `'10Gi'`. */
export const quantityString = z.string().regex(QUANTITY, "expected a Kubernetes quantity such as '250m', '512Mi' or '10Gi'");

/** A quantity above zero: a container with a zero memory limit or CPU request cannot run. */
export const positiveQuantity = quantityString.refine((q) => !QUANTITY.test(q) || parseQuantity(q) > 0, { message: "must be above zero, e.g. '250m' or '512Mi'" });

/** A storage size: a quantity of whole bytes above zero, `'10Gi'`, `'500M'` (no milli). */
export const storageSize = z
  .string()
  .regex(QUANTITY, "expected a storage size such as '10Gi' or '500Mi'")
  .refine((size) => !size.endsWith('m'), "expected a storage size such as '10Gi' or '500Mi'")
  .refine((size) => !QUANTITY.test(size) || parseQuantity(size) > 0, 'must be above zero: nothing could be stored');

/** The value of a quantity (validated by {@link quantityString}): cores for CPU, bytes for sizes. */
export function parseQuantity(quantity: string): number {
  const match = QUANTITY.exec(quantity);
  if (!match) throw new Error(`not a Kubernetes quantity: '${quantity}'`);
  return Number(match[1]) * QUANTITY_FACTORS[match[2] ?? '']!;
}

/** A TCP port number. */
export const portNumber = z.number().int().min(1).max(65_535);
