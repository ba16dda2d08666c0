#!/usr/bin/env node
import { Command } from 'commander';
import { checkCommand } from './check.js';
import { contractsCommand } from './contracts.js';
import { diagnoseCommand } from './diagnose.js';
import { synthCommand } from './synth.js';

// `polyglot … | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command('polyglot')
  .description('one typed model of a polyglot system, synthesized to Kubernetes, NATS and OpenTelemetry config')
  .showHelpAfterError()
  .addCommand(synthCommand())
  .addCommand(checkCommand())
  .addCommand(contractsCommand())
  .addCommand(diagnoseCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`polyglot: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
