import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { TemplateContext } from './template-context.js';

/** `templates/` at the package root (beside `generators/`, `dist/generators/` when built). */
export function templatesRoot(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const candidate of [join(here, '..', '..', 'templates'), join(here, '..', '..', '..', 'templates')]) {
    try {
      if (statSync(candidate).isDirectory()) return candidate;
    } catch {
      // not this layout
    }
  }
  throw new Error(`the templates folder of generator-polyglot is missing (looked beside ${here})`);
}

/** Suffix of files rendered with Handlebars; every other file is copied byte for byte. */
export const TEMPLATE_SUFFIX = '.hbs';
/**
 * npm never packs files named `.gitignore` or `.npmrc`, so templates keep them without the dot
 * and the render puts it back.
 */
const DOT_FILES = new Set(['gitignore', 'npmrc']);
const restoreDot = (path: string) => path.split('/').map((segment) => (DOT_FILES.has(segment) ? `.${segment}` : segment)).join('/');

/** Files of a template folder that describe the template and are not rendered into a service. */
const TEMPLATE_META = new Set(['template.json']);

const handlebars = Handlebars.create();
// `{{json x}}`: a value as JSON (for config files and test fixtures in any language).
handlebars.registerHelper('json', (value: unknown) => new Handlebars.SafeString(JSON.stringify(value)));
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);

/**
 * Renders `templates/<template>/` with `context`: the tree's relative paths (each path segment is
 * itself a Handlebars template, e.g. `{{names.snake}}.ex.hbs`) mapped to file contents. Strict
 * mode: a template that names a missing context field fails here, not in the rendered code.
 * Output paths use `/` and are sorted, so a render is deterministic.
 */
export function renderTemplate(template: string, context: TemplateContext, root = templatesRoot()): Map<string, string | Buffer> {
  const dir = join(root, template);
  const files = new Map<string, string | Buffer>();
  for (const file of walk(dir)) {
    const source = relative(dir, file).split(sep).join('/');
    if (TEMPLATE_META.has(source)) continue;
    const rendered = source.endsWith(TEMPLATE_SUFFIX) ? source.slice(0, -TEMPLATE_SUFFIX.length) : source;
    const target = restoreDot(rendered.includes('{{') ? compile(rendered, `${template}/${source} (path)`)(context) : rendered);
    const content = source.endsWith(TEMPLATE_SUFFIX) ? compile(readFileSync(file, 'utf8'), `${template}/${source}`)(context) : readFileSync(file);
    files.set(target, content);
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** What a template needs after rendering (`templates/<runtime>/template.json`). */
export interface TemplateManifest {
  /** Commands run in the rendered service folder, in order, after its files are written (code
   * generation, dependency download). `buf` means generator-polyglot's own buf binary. */
  readonly postRender: readonly (readonly string[])[];
  /** Commands that build and test the rendered service (what `npm test` runs on a render). */
  readonly test: readonly (readonly string[])[];
}

export function templateManifest(template: string, root = templatesRoot()): TemplateManifest {
  const raw = JSON.parse(readFileSync(join(root, template, 'template.json'), 'utf8')) as Partial<TemplateManifest>;
  return { postRender: raw.postRender ?? [], test: raw.test ?? [] };
}

function compile(source: string, name: string): HandlebarsTemplateDelegate {
  try {
    return handlebars.compile(source, { strict: true, noEscape: true });
  } catch (error) {
    throw new Error(`template ${name}: ${(error as Error).message}`);
  }
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}
