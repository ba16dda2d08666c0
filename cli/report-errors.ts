import { reportModelError } from './model-error.js';

/**
 * Preloaded into the system's process when `polyglot` runs it in a child (the generators read a
 * model that way): a model error is a report for a person, printed as such, exit code 1.
 */
process.on('uncaughtException', (error: unknown) => {
  reportModelError(error);
  process.exit(1);
});
