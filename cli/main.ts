#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command } from 'commander';

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
  .showHelpAfterError();

// `polyglot diagnose` reads traces and loads the model only when asked to (lazily): importing
// the other commands (cdk8s, zod, the model) costs about 2 s of CPU and 100 MB before the first
// line of a trace file is read, so it is dispatched without them.
if (process.argv[2] === 'diagnose') {
  const { diagnoseCommand } = await import('./diagnose.js');
  program.addCommand(diagnoseCommand());
} else {
  const [synth, check, contracts, diagram, diagnose, init, create, secrets] = await Promise.all([
    import('./synth.js'),
    import('./check.js'),
    import('./contracts.js'),
    import('./diagram.js'),
    import('./diagnose.js'),
    import('./init.js'),
    import('./new.js'),
    import('./secrets.js'),
  ]);
  program
    .addCommand(synth.synthCommand())
    .addCommand(check.checkCommand())
    .addCommand(contracts.contractsCommand())
    .addCommand(diagram.diagramCommand())
    .addCommand(diagnose.diagnoseCommand())
    .addCommand(init.initCommand())
    .addCommand(create.newCommand())
    .addCommand(secrets.secretsCommand());
}

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`polyglot: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
