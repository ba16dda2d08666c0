#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { checkCommand } from './check.js';
import { contractsCommand } from './contracts.js';
import { diagramCommand } from './diagram.js';
import { diagnoseCommand } from './diagnose.js';
import { initCommand } from './init.js';
import { newCommand } from './new.js';
import { secretsCommand } from './secrets.js';
import { synthCommand } from './synth.js';

// `polyglot … | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// The version of the installed package, not of the system being synthesized.
// Run from dist/cli (installed) or cli/ (tsx in tests): the package root is the nearest parent
// whose package.json is ours.
function packageVersion(): string {
  for (const up of ['../package.json', '../../package.json']) {
    try {
      const manifest = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'generator-polyglot' && manifest.version) return manifest.version;
    } catch {
      // not at this level
    }
  }
  return 'unknown';
}
const version = packageVersion();

const program = new Command('polyglot')
  .description('one typed model of a polyglot system, synthesized to Kubernetes, NATS and OpenTelemetry config')
  .version(version, '-v, --version', 'print the version of generator-polyglot')
  .helpCommand(true)
  .showHelpAfterError()
  .addCommand(synthCommand())
  .addCommand(checkCommand())
  .addCommand(contractsCommand())
  .addCommand(diagramCommand())
  .addCommand(diagnoseCommand())
  .addCommand(initCommand())
  .addCommand(newCommand())
  .addCommand(secretsCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`polyglot: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
