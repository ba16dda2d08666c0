#!/usr/bin/env node
import { Command } from 'commander';
import { synthCommand } from './synth.js';

const program = new Command('polyglot')
  .description('one typed model of a polyglot system, synthesized to Kubernetes, NATS and OpenTelemetry config')
  .showHelpAfterError()
  .addCommand(synthCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`polyglot: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
