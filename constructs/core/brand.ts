/**
 * The one "is a X" idiom of polyglot (AWS CDK's): every model class marks its instances with a
 * `Symbol.for` key and offers `static isX(value)`. It holds across two copies of the package in
 * one process (a system repository's and a tool's), where `instanceof` silently says no, and it
 * never matches a sibling class (cdk8s' Chart answers `instanceof` for every chart).
 */
export function brand(instance: object, marker: symbol): void {
  Object.defineProperty(instance, marker, { value: true });
}

export function hasBrand(value: unknown, marker: symbol): boolean {
  return typeof value === 'object' && value !== null && marker in value;
}
