import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type Generator from 'yeoman-generator';

export const hashOf = (content: string | Buffer): string => `sha256:${createHash('sha256').update(content).digest('hex')}`;

/**
 * Writes generator-owned files so that a re-run after a template upgrade updates what the user
 * never touched, and asks before it overwrites what they changed.
 *
 * `.yo-rc.json` keeps, under `generated`, the hash of what the generator rendered for each file
 * last time. A file on disk still equal to that is the generator's own: it is overwritten without
 * a question. A file that differs was changed by the user: it goes through yeoman's conflicter
 * (a question; `--force` overwrites; `--yes` keeps the user's file and says so).
 */
export class GeneratedFiles {
  private readonly rendered = new Map<string, string>();

  constructor(private readonly generator: Generator) {}

  private previous(): Record<string, string> {
    return (this.generator.config.get('generated') as Record<string, string> | undefined) ?? {};
  }

  /** Writes `path` (relative to the system) into the generator's file system. */
  write(path: string, content: string | Buffer): void {
    const destination = this.generator.destinationPath(path);
    const key = relative(this.generator.destinationRoot(), destination).split('\\').join('/');
    const hash = hashOf(content);
    const before = this.previous()[key];
    const unchangedByUser = before !== undefined && existsSync(destination) && hashOf(readFileSync(destination)) === before;
    this.generator.fs.write(destination, content);
    if (unchangedByUser) {
      // The conflicter skips its question for a file whose status is already decided.
      const file = this.generator.fs.store.get(destination) as { conflicter?: string };
      file.conflicter = 'force';
    }
    this.rendered.set(key, hash);
  }

  /** Writes `path` only when it does not exist yet: files the user owns from the start. */
  writeOnce(path: string, content: string): void {
    if (!this.generator.fs.exists(this.generator.destinationPath(path))) this.generator.fs.write(this.generator.destinationPath(path), content);
  }

  /** Records the hashes in `.yo-rc.json` (merged with what other generators of the run wrote). */
  save(): void {
    if (this.rendered.size === 0) return;
    const merged = { ...this.previous(), ...Object.fromEntries(this.rendered) };
    this.generator.config.set('generated', Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : 1))));
  }
}
