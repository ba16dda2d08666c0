/** Quotes a string for Graphviz DOT. */
export function dotString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Renders `key=value` attribute lists, keys in the given order. */
export function dotAttributes(attributes: Record<string, string | number | undefined>): string {
  const parts = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? v : dotString(v!)}`);
  return parts.length > 0 ? ` [${parts.join(', ')}]` : '';
}

/** Colours per runtime, so the cut each runtime makes is visible at a glance. */
export const RUNTIME_COLOURS: Record<string, string> = {
  go: '#00ADD8',
  rust: '#DEA584',
  elixir: '#9B6FB5',
  typescript: '#3178C6',
};
