import { z } from 'zod';
import type { Problem } from './problems.js';

/** RFC 1123 label: what Kubernetes accepts for namespaces, Services and most `metadata.name`s. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_LABEL_MAX = 63;

/** Why a name is not a valid DNS label, or `undefined` when it is. */
export function dnsLabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > DNS_LABEL_MAX) return `is ${name.length} characters long; Kubernetes allows ${DNS_LABEL_MAX}`;
  if (!DNS_LABEL.test(name)) {
    return 'must be lower-case letters, digits and dashes, starting and ending with a letter or digit (RFC 1123)';
  }
  return undefined;
}

/** Suggests a valid DNS label close to the given name, for fix hints. */
export function suggestDnsLabel(name: string): string {
  const cleaned = name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, DNS_LABEL_MAX)
    .replace(/-$/, '');
  return cleaned || 'name';
}

/** A zod schema for a DNS label. */
export const dnsLabel = z.string().superRefine((value, ctx) => {
  const problem = dnsLabelProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `'${value}' ${problem}; try '${suggestDnsLabel(value)}'` });
});

/** A DNS host name (one or more labels separated by dots). */
export const hostName = z
  .string()
  .max(253)
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'expected a lower-case DNS host name such as api.example.com');

/**
 * The problem to report when a construct's id is not a DNS label, or `undefined` when it is.
 * Ids become Kubernetes object names, file names and config keys.
 */
export function invalidNameProblem(path: string, id: string, subject: string, why: string): Problem | undefined {
  const result = dnsLabel.safeParse(id);
  if (result.success) return undefined;
  return {
    severity: 'error',
    code: 'invalid-name',
    path,
    message: `${subject} ${result.error.issues[0]?.message ?? 'is invalid'}`,
    why,
    fix: `rename the ${subject.replace(/ name$/, '')} (its construct id is its name)`,
  };
}
