import { z } from 'zod';

const SIZE = /^(\d+(?:\.\d+)?)(k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const FACTORS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** A storage size as Kubernetes writes it: `'10Gi'`, `'500M'`. */
export const storageSize = z.string().regex(SIZE, "expected a storage size such as '10Gi' or '500Mi'");

/** Bytes in a storage size (validated by {@link storageSize}). */
export function quantityBytes(size: string): number {
  const match = SIZE.exec(size);
  if (!match) throw new Error(`not a storage size: '${size}'`);
  return Number(match[1]) * FACTORS[match[2] ?? '']!;
}
