/**
 * Preloaded into the system's process by `polyglot synth` and `polyglot check`: a model error is
 * a report for a person, printed as such (no Node internals around it), exit code 1.
 */
process.on('uncaughtException', (error: unknown) => {
  if (error instanceof Error && (error.name === 'SynthError' || error.name === 'OutputDirError')) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  process.exit(1);
});
