/**
 * Number formatting shared by the report and the chart. Locale-independent on purpose: the
 * same input must give byte-identical output on every machine.
 */

/** Milliseconds with about three significant digits: `0.412`, `4.12`, `41.2`, `412`, `4,120`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs >= 100) return formatCount(Math.round(ms));
  if (abs >= 10) return ms.toFixed(1);
  if (abs >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** An integer with thousands separators: `1,234,567`. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A share in [0, 1] as a whole percentage: `0.617` → `62%`. */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** Bytes in binary units, as `812 KiB`, `1.4 GiB`: the one byte formatter of the CLI. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** `gateway → ranking`. */
export function edgeName(caller: string, callee: string): string {
  return `${caller} → ${callee}`;
}

/** `1 pair`, `12 pairs`, `1,204 spans`: counts in messages read better without "(s)". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}
