/** A declaration found in a .proto file, with its 1-based line. */
export interface ProtoDeclaration {
  readonly name: string;
  readonly line: number;
}

/** The package and the services a .proto file declares. */
export interface ProtoDeclarations {
  readonly package?: ProtoDeclaration;
  readonly services: readonly ProtoDeclaration[];
}

/**
 * Reads the package and service declarations of a .proto file without compiling it, so a
 * contract naming a missing service is reported even when buf is not installed. Comments and
 * string literals are blanked first (keeping line breaks, so lines stay right): a commented-out
 * service does not count.
 */
export function readProtoDeclarations(source: string): ProtoDeclarations {
  const code = blankCommentsAndStrings(source);
  const lineAt = (index: number) => code.slice(0, index).split('\n').length;
  const pkg = /\bpackage\s+([A-Za-z_][\w.]*)\s*;/.exec(code);
  const services = [...code.matchAll(/\bservice\s+([A-Za-z_]\w*)\s*\{/g)].map((m) => ({ name: m[1]!, line: lineAt(m.index) }));
  return { package: pkg ? { name: pkg[1]!, line: lineAt(pkg.index) } : undefined, services };
}

function blankCommentsAndStrings(source: string): string {
  return source.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (match) => match.replace(/[^\n]/g, ' '));
}
