/** Column alignment for {@link textTable}. */
export type Align = 'left' | 'right';

/**
 * Lays out rows as plain-text columns separated by two spaces, padded to the widest cell.
 * Trailing spaces are trimmed so the output diffs cleanly.
 *
 * @param rows the first row is usually the header.
 * @param align per column; missing entries are left-aligned.
 * @param indent prefix for every line (one space unless given).
 */
export function textTable(rows: readonly (readonly string[])[], align: readonly Align[], indent = ' '): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, width(cell));
    });
  }
  return rows.map((row) =>
    (
      indent +
      row
        .map((cell, i) => {
          const pad = ' '.repeat((widths[i] ?? 0) - width(cell));
          return align[i] === 'right' ? pad + cell : cell + pad;
        })
        .join('  ')
    ).trimEnd(),
  );
}

/** Display width in code points: enough for the `→`, `µ` and `└` used here. */
function width(text: string): number {
  return [...text].length;
}
