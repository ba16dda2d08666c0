import { brand, hasBrand } from '../core/brand.js';
import { Construct } from 'constructs';
import { z } from 'zod';
import { durationString, parseDuration, parseQuantity, storageSize } from '../core/units.js';
import { contractScope, problemReporter } from '../core/problem-sink.js';
import { parseProps } from '../core/props.js';
import { claimContractId, reportContractName } from './grpc.js';
import type { Problem } from '../core/problems.js';

/** A JetStream stream that keeps an event's messages. */
export interface EventStreamProps {
  /** Stream name, upper case by NATS convention, e.g. `PRESENCE`. */
  readonly name: string;
  /** How long messages are kept, e.g. `'1h'`, `'7d'` is written `'168h'`.
   * @default '24h' */
  readonly maxAge?: string;
  /** Copies of each message across the NATS cluster (1, 3 or 5).
   * @default 3 */
  readonly replicas?: number;
  /** Where messages are kept. Memory is lost on restart.
   * @default 'file' */
  readonly storage?: 'file' | 'memory';
  /** The most the stream keeps, e.g. `'2Gi'`; the oldest messages go first. All streams
   * together must fit each server's JetStream store (a check says so before anything is written).
   * @default - an even share of the store left over by the streams that set one (docs/nats.md) */
  readonly maxBytes?: string;
  /** The most messages the stream keeps; the oldest go first.
   * @default - maxBytes / 64 (the smallest a stored message takes), so maxBytes is the limit that binds */
  readonly maxMsgs?: number;
}

/** Props of an {@link EventContract}. */
export interface EventContractProps {
  /**
   * The NATS subject, with named tokens in braces for the parts that vary:
   * `jvn.presence.changed.{room}`. Publishers fill the tokens; subscribers may use wildcards.
   */
  readonly subject: string;
  /** The message schema. It is emitted as JSON Schema and AsyncAPI. */
  readonly schema: z.ZodType;
  /** Keep the messages in a JetStream stream; durable subscribers need one.
   * @default - core NATS, no persistence */
  readonly stream?: EventStreamProps;
  /** The schema's version. Raise it for a breaking change to the schema.
   * @default 1 */
  readonly version?: number;
  /** One line on what the event means; it goes into the catalog.
   * @default - none */
  readonly description?: string;
}

const MIN_STREAM_AGE_MS = 60_000;
const MAX_STREAM_AGE_MS = 87_600 * 3_600_000;

const TOKEN = /^\{[a-z][a-zA-Z0-9_]*\}$/;
const LITERAL = /^[A-Za-z0-9_-]+$/;

const schema = z.strictObject({
  subject: z.string().superRefine((subject, ctx) => {
    const tokens = subject.split('.');
    const bad = tokens.filter((t) => !LITERAL.test(t) && !TOKEN.test(t));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `subject '${subject}' has invalid token${bad.length > 1 ? 's' : ''} ${bad.map((t) => `'${t}'`).join(', ')}: use letters, digits, '-' and '_', or a named token such as '{room}' (no '*' or '>' in a published subject)`,
      });
    }
  }),
  schema: z.custom<z.ZodType>((value) => value instanceof z.ZodType, { message: 'expected a zod schema, e.g. z.object({ ... })' }),
  stream: z
    .strictObject({
      name: z.string().regex(/^[A-Za-z0-9_-]+$/, "expected a stream name such as 'PRESENCE'"),
      maxAge: durationString
        .refine((age) => (parseDuration(age) ?? 0) >= MIN_STREAM_AGE_MS, { message: "a stream keeps messages at least '1m'; for no persistence at all, drop the stream" })
        .refine((age) => (parseDuration(age) ?? 0) <= MAX_STREAM_AGE_MS, { message: "at most '87600h' (10 years): NATS counts the age in nanoseconds, and a longer one is a typo; maxBytes bounds what the stream keeps" })
        .default('24h'),
      replicas: z.union([z.literal(1), z.literal(3), z.literal(5)]).default(3),
      storage: z.enum(['file', 'memory']).default('file'),
      maxBytes: storageSize.refine((size) => quantityValue(size) >= 2 ** 20, { message: "at least '1Mi': a stream smaller than one message block keeps almost nothing" }).optional(),
      maxMsgs: z.number().int().min(1).optional(),
    })
    .optional(),
  version: z.number().int().min(1).default(1),
  description: z.string().optional(),
});

/** The stream settings of an event, with defaults applied; the size limits default with the whole system in view. */
export type EventStream = Required<Omit<EventStreamProps, 'maxBytes' | 'maxMsgs'>> & Pick<EventStreamProps, 'maxBytes' | 'maxMsgs'>;

/**
 * An asynchronous contract: a NATS subject and the schema of its messages.
 */
const EVENT_CONTRACT = Symbol.for('polyglot.EventContract');

export class EventContract extends Construct {
  /** True for an EventContract, also one from another copy of polyglot. */
  static isEventContract(value: unknown): value is EventContract {
    return hasBrand(value, EVENT_CONTRACT);
  }

  readonly name: string;
  /** The subject template, e.g. `jvn.presence.changed.{room}`. */
  readonly subject: string;
  readonly schema: z.ZodType;
  readonly stream?: EventStream;
  readonly version: number;
  readonly description?: string;

  constructor(scope: Construct, id: string, props: EventContractProps) {
    super(contractScope(scope), claimContractId(scope, id, 'EventContract'));
    brand(this, EVENT_CONTRACT);
    const report = problemReporter(this);
    this.name = id;
    reportContractName(this, id, report);
    const parsed = parseProps(this, 'EventContract', schema, props, report);
    if (parsed) for (const problem of unknownTokenProblems(this.node.path, parsed.subject, parsed.schema)) report(problem);
    this.subject = parsed?.subject ?? String(props?.subject ?? '');
    this.schema = parsed?.schema ?? z.unknown();
    this.stream = parsed?.stream;
    this.version = parsed?.version ?? 1;
    this.description = parsed?.description;
  }

  /** The subject as NATS matches it: every named token becomes `*`. */
  get subjectPattern(): string {
    return this.subject
      .split('.')
      .map((t) => (TOKEN.test(t) ? '*' : t))
      .join('.');
  }

  /** The names of the subject's tokens, in order. */
  get tokens(): string[] {
    return this.subject
      .split('.')
      .filter((t) => TOKEN.test(t))
      .map((t) => t.slice(1, -1));
  }
}

/** A quantity's value for a bound check; a malformed one passes here, as its format is reported on its own. */
function quantityValue(quantity: string): number {
  try {
    return parseQuantity(quantity);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * Publishers fill each named token of the subject from the field of that name, and subscribers
 * read it back from there: a token that is no field of an object schema has nothing to come from.
 */
function unknownTokenProblems(path: string, subject: string, schema: z.ZodType): Problem[] {
  if (!(schema instanceof z.ZodObject)) return [];
  const fields = Object.keys(schema.shape as Record<string, unknown>);
  // `z.object({})` declares no fields yet (a model sketched before its messages): nothing to hold
  // the tokens to. Once a field is declared, every token must be one.
  if (fields.length === 0) return [];
  const tokens = subject
    .split('.')
    .filter((t) => TOKEN.test(t))
    .map((t) => t.slice(1, -1));
  return tokens
    .filter((token) => !fields.includes(token))
    .map((token) => ({
      severity: 'error' as const,
      code: 'invalid-props',
      path,
      message: `subject: token '{${token}}' is not a field of the event's schema (fields: ${fields.length > 0 ? fields.join(', ') : 'none'})`,
      why: 'publishers fill a subject token from the message field of the same name',
      fix: `add a field '${token}' to the schema, or rename the token to one of its fields (see EventContractProps)`,
    }));
}
