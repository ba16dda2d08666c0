/**
 * One measured child process of the diagnose case of `npm run bench`:
 *
 *   node --import tsx bench/diagnose-process.ts <diagnose|parse-only> <file>
 *
 * - diagnose: the whole analysis `polyglot diagnose` runs (stream, parse, pair, aggregate);
 * - parse-only: the floor any streaming OTLP JSON reader pays: read every line and JSON.parse it,
 *   nothing else. diagnose's ratio to it shows what pairing and percentiles cost on top.
 * Prints one `BENCH_RESULT {...}` line with the in-process seconds and the peak RSS.
 */
import { diagnose } from '../diagnose/index.js';
import { readLines } from '../diagnose/line-reader.js';

const [mode, file] = process.argv.slice(2);
if ((mode !== 'diagnose' && mode !== 'parse-only') || !file) {
  console.error('usage: diagnose-process.ts <diagnose|parse-only> <file>');
  process.exit(2);
}

const t0 = performance.now();
let detail: Record<string, number> = {};
if (mode === 'diagnose') {
  const result = await diagnose(file);
  detail = { edges: result.edges.length, unpaired: Object.values(result.unpaired).reduce((a: number, b) => a + (typeof b === 'number' ? b : 0), 0) };
} else {
  let parsed = 0;
  await readLines(file, (line) => {
    if (line.length > 0) {
      JSON.parse(line);
      parsed++;
    }
  });
  detail = { lines: parsed };
}
const seconds = (performance.now() - t0) / 1000;
console.log(`BENCH_RESULT ${JSON.stringify({ mode, seconds, maxRssMB: process.resourceUsage().maxRSS / 1024, ...detail })}`);
