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

/**
 * Why a name is not an RFC 1035 label (a DNS label that starts with a letter), or `undefined`.
 * Kubernetes holds Service names to it: a service named `1st-line` is refused by the API server.
 */
export function dns1035LabelProblem(name: string): string | undefined {
  const problem = dnsLabelProblem(name);
  if (problem) return problem;
  if (!/^[a-z]/.test(name)) return 'starts with a digit; Kubernetes Service names must start with a letter (RFC 1035)';
  return undefined;
}

/** An RFC 1123 subdomain: what Kubernetes accepts for Secret, IngressClass and ConfigMap names. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A zod schema for an object name that is an RFC 1123 subdomain (Secrets, IngressClasses). */
export function dnsSubdomain(what: string) {
  return z.string().superRefine((value, ctx) => {
    if (value.length === 0 || value.length > 253 || !DNS_SUBDOMAIN.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `'${value}' is not a valid ${what}: lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters (RFC 1123); try '${suggestDnsLabel(value)}'`,
      });
    }
  });
}

/** A DNS host name (one or more labels separated by dots). */
export const hostName = z
  .string()
  .max(253)
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'expected a lower-case DNS host name such as api.example.com');

/**
 * The problem to report when a construct's id is not a DNS label, or `undefined` when it is.
 * Ids become Kubernetes object names, file names and config keys.
 */
export function invalidNameProblem(path: string, id: string, subject: string, why: string, rules: 'rfc1123' | 'rfc1035' = 'rfc1123'): Problem | undefined {
  const problem = rules === 'rfc1035' ? dns1035LabelProblem(id) : dnsLabelProblem(id);
  if (!problem) return undefined;
  const suggestion = rules === 'rfc1035' && /^[0-9]/.test(suggestDnsLabel(id)) ? `s-${suggestDnsLabel(id)}`.slice(0, DNS_LABEL_MAX) : suggestDnsLabel(id);
  return {
    severity: 'error',
    code: 'invalid-name',
    path,
    message: `${subject} '${id}' ${problem}; try '${suggestion}'`,
    why,
    fix: `rename the ${subject.replace(/ name$/, '')} (its construct id is its name)`,
  };
}
