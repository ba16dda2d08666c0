/**
 * Renders Graphviz DOT to SVG in its own process: reads a JSON array of DOT sources on stdin,
 * writes a JSON array of SVGs on stdout. Graphviz's WebAssembly build can only be loaded
 * asynchronously; running it here keeps synth synchronous (as cdk8s requires) without a
 * top-level await, which would break systems whose main.ts is CommonJS.
 */
import { instance } from '@viz-js/viz';

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const sources = JSON.parse(Buffer.concat(chunks).toString('utf8')) as string[];
const viz = await instance();
process.stdout.write(JSON.stringify(sources.map((dot) => viz.renderString(dot, { format: 'svg' }))));
