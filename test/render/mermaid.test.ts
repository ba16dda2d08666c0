import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mermaidText } from '../../constructs/render/mermaid.js';
import { smallSystem } from '../support/fixtures.js';

// Mermaid's own parser needs a browser DOM in Node (DOMPurify) and brings ~200 MB with it, so
// this test checks the structure the flowchart grammar asks for. The jvn and generated sources
// were parsed by mermaid 12.3.0 (with jsdom) when this writer was made: all flowchart-v2.

const NODE = /^ {2,4}(n\d+)(\("|\[\["|>")((?:[^"])*)("\)|"\]\]|"\])(?::::(c\d+))?$/;
const EDGE = /^ {2}(n\d+) (-->|-\.->)(?:\|"([^"]*)"\|)? (n\d+)$/;
const CLASS = /^ {2}classDef (c\d+) fill:#[0-9A-F]{6},color:#[0-9A-F]{6},stroke:#[0-9A-F]{6}$/;

test('each diagram has a Mermaid flowchart beside it: every line a comment, node, edge, subgraph or class the grammar accepts', () => {
  const files = smallSystem().system.files();
  const sources = [...files].filter(([path]) => path.endsWith('.mmd'));
  assert.equal(sources.length, 4);
  for (const [path, source] of sources) {
    const lines = source.trimEnd().split('\n');
    const body = lines.slice(lines.indexOf('flowchart LR') + 1);
    assert.ok(lines.indexOf('flowchart LR') > 0, `${path}: a flowchart after its comment header`);
    assert.ok(lines.slice(0, lines.indexOf('flowchart LR')).every((l) => l.startsWith('%%')), `${path}: only comments before it`);
    assert.match(source, /%% Legend:\n(%% {3}.+\n)+/, `${path}: the legend, as comments`);
    const declared = new Set<string>();
    const usedClasses = new Set<string>();
    const definedClasses = new Set<string>();
    let depth = 0;
    for (const line of body) {
      const node = NODE.exec(line);
      const edge = EDGE.exec(line);
      const classDef = CLASS.exec(line);
      if (node) {
        declared.add(node[1]!);
        usedClasses.add(node[5]!);
      } else if (edge) {
        assert.ok(declared.has(edge[1]!) && declared.has(edge[4]!), `${path}: ${line.trim()} joins declared nodes`);
      } else if (classDef) {
        definedClasses.add(classDef[1]!);
      } else if (/^ {2}subgraph cluster\["[^"]*"\]$/.test(line)) {
        depth++;
      } else if (line === '  end') {
        depth--;
      } else {
        assert.fail(`${path}: a line Mermaid's flowchart grammar would not take: ${line}`);
      }
    }
    assert.equal(depth, 0, `${path}: subgraphs closed`);
    assert.deepEqual([...usedClasses].sort(), [...definedClasses].sort(), `${path}: every class used is defined`);
  }
  const sales = files.get('diagrams/sales.mmd')!;
  assert.match(sales, /n\d+>"order-placed<br\/>shop\.orders\.placed\.\{region\}<br\/>also read in live"\]/, 'events by name and subject');
  assert.match(sales, /-->\|"pricing<br\/>20ms ×3"\|/, 'calls with timeout and tries');
  assert.match(sales, /-\.->/, 'events dashed');
});

test('Mermaid labels carry quotes and markup as entities, so a name cannot end its string', () => {
  assert.equal(mermaidText('a "b" <c> & d|e #1'), 'a #34;b#34; #60;c#62; #38; d#124;e #35;1');
});
