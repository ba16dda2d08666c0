import type { EventContract } from '../contracts/events.js';
import type { Problem } from '../core/problems.js';
import type { Check } from '../extension.js';

/** A subject-pattern trie: one level per token, `*` is a child like any literal. */
interface TrieNode {
  readonly children: Map<string, TrieNode>;
  readonly events: EventContract[];
}

/**
 * Two events must not be able to carry the same subject. NATS matches subjects, not contracts: a
 * subscriber to `jvn.rooms.{room}.message` also receives `jvn.rooms.general.{kind}` messages with
 * another schema, and two streams may not capture overlapping subjects.
 *
 * Patterns are matched through a trie of tokens, so each event only visits the branches that can
 * match it instead of being compared with every other event.
 */
export const subjectClashes: Check = (model) => {
  const root: TrieNode = { children: new Map(), events: [] };
  const patterns = new Map(model.eventContracts.map((e) => [e, e.subjectPattern.split('.')] as const));
  for (const [event, tokens] of patterns) {
    let node = root;
    for (const token of tokens) {
      let child = node.children.get(token);
      if (!child) node.children.set(token, (child = { children: new Map(), events: [] }));
      node = child;
    }
    node.events.push(event);
  }

  const problems: Problem[] = [];
  for (const [event, tokens] of patterns) {
    for (const other of matches(root, tokens)) {
      // Each pair once, reported on the event whose name sorts first.
      if (other === event || other.name < event.name) continue;
      problems.push({
        severity: 'error',
        code: 'subject-clash',
        path: event.node.path,
        message: `subject '${event.subject}' and the subject '${other.subject}' of event '${other.name}' can be the same, e.g. '${example(event, other)}'`,
        why: "subscribers of one event would receive the other's messages, which follow another schema; streams may not capture overlapping subjects",
        fix: 'give one of the events a literal token the other cannot match, e.g. a different third token',
      });
    }
  }
  return problems;
};

/** Every event whose pattern can match a subject that `tokens` matches. */
function matches(root: TrieNode, tokens: readonly string[]): EventContract[] {
  const found: EventContract[] = [];
  const walk = (node: TrieNode, depth: number) => {
    if (depth === tokens.length) {
      found.push(...node.events);
      return;
    }
    const token = tokens[depth]!;
    if (token === '*') {
      for (const child of node.children.values()) walk(child, depth + 1);
      return;
    }
    const literal = node.children.get(token);
    if (literal) walk(literal, depth + 1);
    const wildcard = node.children.get('*');
    if (wildcard) walk(wildcard, depth + 1);
  };
  walk(root, 0);
  return found;
}

/** A subject both events can carry: a literal where either has one, a token name elsewhere. */
function example(a: EventContract, b: EventContract): string {
  const tokensB = b.subject.split('.');
  return a.subject
    .split('.')
    .map((token, i) => (token.startsWith('{') ? tokensB[i]! : token))
    .map((token) => (token.startsWith('{') ? token.slice(1, -1) : token))
    .join('.');
}
