import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateSystem } from '../../bench/generate.js';
import { allSwatches, contrastRatio } from '../../constructs/render/palette.js';
import { jvn } from '../../examples/jvn/system.js';
import { tempDir } from '../support/cli.js';
import { renderPng, textOverflows } from '../support/svg-render.js';

/** The SVGs of a system's synth output, path → SVG. */
function diagrams(files: ReadonlyMap<string, string>): Map<string, string> {
  return new Map([...files].filter(([path]) => path.startsWith('diagrams/') && path.endsWith('.svg')));
}

const systems = {
  jvn: () => jvn().diagrams(),
  'a generated system of 60 services': () => generateSystem({ services: 60, domains: 5 }).system.diagrams(),
};

for (const [name, files] of Object.entries(systems)) {
  test(`${name}: every diagram renders to PNG with resvg and no text leaves its box`, async () => {
    const svgs = diagrams(files());
    assert.ok(svgs.size >= 2);
    // The PNGs are kept for a person to look at: POLYGLOT_KEEP_PNG=<dir> writes them there.
    const out = process.env.POLYGLOT_KEEP_PNG ?? tempDir();
    for (const [path, svg] of svgs) {
      const png = await renderPng(svg);
      assert.equal(png.subarray(1, 4).toString(), 'PNG', `${path} rendered`);
      const [, width, height] = /<svg width="([\d.]+)pt" height="([\d.]+)pt"/.exec(svg)!;
      // The SVG is sized in points; resvg draws 4/3 pixels per point, then zooms.
      assert.equal(png.readUInt32BE(16), Math.round((Number(width) * 4 * 1.5) / 3), `${path}: PNG width`);
      assert.equal(png.readUInt32BE(20), Math.round((Number(height) * 4 * 1.5) / 3), `${path}: PNG height`);
      writeFileSync(join(out, path.replace(/\//g, '-').replace(/\.svg$/, '.png')), png);
      assert.deepEqual(await textOverflows(svg), [], `${path}: text outside its box`);
    }
  });
}

test('the overflow check sees text that leaves its box (a label made wider than its node)', async () => {
  const svg = diagrams(jvn().diagrams()).get('diagrams/identity.svg')!;
  const widened = svg.replace(/>jwt&#45;signer</, '>jwt&#45;signer&#45;with&#45;a&#45;much&#45;longer&#45;name<');
  const overflows = await textOverflows(widened);
  assert.equal(overflows.length, 1);
  assert.match(overflows[0]!.group, /node service:jwt&#45;signer/);
});

test('every text/background pair of the palette meets WCAG AA (4.5:1)', () => {
  for (const [name, swatch] of Object.entries(allSwatches())) {
    const ratio = contrastRatio(swatch.fill, swatch.text);
    assert.ok(ratio >= 4.5, `${name}: ${swatch.text} on ${swatch.fill} is ${ratio.toFixed(2)}:1`);
  }
  assert.ok(contrastRatio('#00ADD8', '#FFFFFF') < 4.5, 'the check can fail: white on Go cyan is 2.6:1');
});

test('every text drawn on a filled node meets WCAG AA against that fill, in the SVGs themselves', () => {
  for (const [path, svg] of diagrams(generateSystem({ services: 60, domains: 5 }).system.diagrams())) {
    for (const [, kind, body] of svg.matchAll(/<g id="[^"]*" class="(node|edge)">([\s\S]*?)<\/g>/g)) {
      // A node's text sits on its outline's fill; an edge label's on its background, else the page.
      const shape = kind === 'node' ? /<(?:path|polygon)[^>]*>/.exec(body!)?.[0] : /<polygon fill="#ffffff"[^>]*>/.exec(body!)?.[0];
      const fill = (shape && /fill="(#[0-9a-f]{6})"/i.exec(shape)?.[1]) ?? '#ffffff';
      for (const [text] of body!.matchAll(/<text[^>]*>/g)) {
        const colour = /fill="(#[0-9a-f]{6})"/i.exec(text)?.[1] ?? '#000000';
        const ratio = contrastRatio(fill, colour);
        assert.ok(ratio >= 4.5, `${path}: text ${colour} on ${fill} is ${ratio.toFixed(2)}:1`);
      }
    }
  }
});

test('every diagram has a legend that explains its colours, ×N and dashed lines', () => {
  for (const [path, svg] of diagrams(jvn().diagrams())) {
    const legend = /<g id="legend"[\s\S]*<\/g>/.exec(svg)?.[0];
    assert.ok(legend, `${path} has a legend`);
    assert.match(legend, /stroke-dasharray[\s\S]*NATS event/, `${path}: dashed lines are events`);
    assert.match(legend, /gRPC call/, `${path}: solid lines are calls`);
    if (path !== 'diagrams/system.svg') assert.match(legend, /×N tries/, `${path}: ×N is explained`);
  }
  const identity = diagrams(jvn().diagrams()).get('diagrams/identity.svg')!;
  assert.match(identity, /Go service: name, runtime · deadline/);
  assert.match(identity, /Rust service: name, runtime · deadline/);
});

test('the SVGs embed their font and ask for no other face; cluster titles are in it too', () => {
  for (const [path, svg] of diagrams(jvn().diagrams())) {
    assert.match(svg, /@font-face\{font-family:"Inter";[^}]*src:url\(data:font\/woff2;base64,[A-Za-z0-9+/=]{20000,}\)/, `${path} embeds Inter`);
    const families = new Set([...svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
    assert.deepEqual([...families], ['Inter,sans-serif'], `${path}: one face everywhere`);
  }
});
