/**
 * Prints an error of a system's main.ts for a person: a model error (SynthError, OutputDirError)
 * is the report it already is, with no Node internals around it; anything else keeps its stack.
 */
export function reportModelError(error: unknown): void {
  if (error instanceof Error && (error.name === 'SynthError' || error.name === 'OutputDirError')) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
}
