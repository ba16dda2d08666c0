import assert from 'node:assert/strict';
import { test } from 'node:test';
import { domainDot, systemDot } from '../../constructs/render/diagram.js';
import { smallSystem } from '../support/fixtures.js';

test('the system diagram aggregates calls and events between domains', () => {
  const dot = systemDot(smallSystem().system.model());
  assert.match(dot, /"edge" -> "sales" \[label="1 call", style="solid"\]/);
  assert.match(dot, /"sales" -> "live" \[label="1 event", style="dashed"\]/);
  assert.match(dot, /"sales" \[label="sales\\n2 services \(go, rust\)"\]/);
});

test('a domain diagram shows its services, their neighbours, timeouts and subjects', () => {
  const dot = domainDot(smallSystem().system.model(), 'sales');
  assert.match(dot, /"sales\/orders" -> "sales\/pricer" \[label="pricing\\n20ms ×3"\]/);
  assert.match(dot, /"edge\/api" -> "sales\/orders"/, 'callers from other domains appear');
  assert.match(dot, /"sales\/orders" -> "event:order-placed" \[style="dashed"\]/);
  assert.match(dot, /label="shop\.orders\.placed\.\{region\}", shape="cds"/);
});

test('diagrams are SVG, one per domain plus the system, and byte-identical across runs', () => {
  const files = smallSystem().system.files();
  const diagrams = [...files.keys()].filter((f) => f.startsWith('diagrams/'));
  assert.deepEqual(diagrams, ['diagrams/edge.svg', 'diagrams/live.svg', 'diagrams/sales.svg', 'diagrams/system.svg']);
  for (const path of diagrams) {
    const svg = files.get(path)!;
    assert.match(svg, /^<\?xml[^>]*>\s*<!DOCTYPE svg[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
  }
  assert.match(files.get('diagrams/sales.svg')!, />pricer</);
  const again = smallSystem().system.files();
  for (const path of diagrams) assert.equal(files.get(path), again.get(path));
});

test('the catalog lists every contract with its server and callers', () => {
  const catalog = smallSystem().system.files().get('catalog.md')!;
  assert.match(catalog, /\| pricing \| `shop\.pricing\.v1\.Pricing` \| contracts\/shop\/pricing\/v1\/pricing\.proto \| sales\/pricer \| sales\/orders \(20ms, 2 retries\) \|/);
  assert.match(catalog, /\| order-placed \| `shop\.orders\.placed\.\{region\}` \| ORDERS \(file, 24h, ×3\) \| sales\/orders \| live\/feed \|/);
});
