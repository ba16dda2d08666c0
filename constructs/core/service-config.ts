import { z } from 'zod';

/**
 * `polyglot.dev/service-config/v1`: the file every service reads at start-up
 * (`/etc/polyglot/service.json`, docs/service-config.md). It is a published contract between
 * synth and the service templates of every language, so it has exactly one definition: this
 * schema. Synth's output is parsed with it before it is written, and
 * `schemas/service-config.v1.json` (the JSON Schema the templates validate with) is emitted from it.
 *
 * A v1 reader must accept what a v1 writer writes: fields are only ever added (optional), never
 * removed or retyped, within v1. Unknown keys are rejected so a typo in a hand-edited config is
 * caught at start-up rather than silently ignored.
 */
export const SERVICE_CONFIG_SCHEMA_ID = 'polyglot.dev/service-config/v1';

const dnsLabel = z.string().regex(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
const duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/);
const millis = z.number().int().nonnegative();
const port = z.number().int().min(1).max(65535);
const subject = z.string().min(1);

export const serviceConfigSchema = z
  .strictObject({
    schema: z.literal(SERVICE_CONFIG_SCHEMA_ID).describe('format version; readers check it first'),
    system: dnsLabel,
    domain: dnsLabel,
    service: dnsLabel,
    runtime: z.string().min(1).describe('runtime key: go, rust, elixir, typescript, or a registered one'),
    version: z.string().min(1),
    deadline: duration.describe('what this service promises its callers'),
    deadlineMs: millis,
    backoff: z
      .strictObject({
        initial: duration,
        initialMs: millis,
        max: duration,
        maxMs: millis,
        multiplier: z.number().min(1),
      })
      .describe('retry k of any call waits up to min(initial × multiplier^(k-1), max); jitter only below that'),
    ports: z.strictObject({ grpc: port.optional(), http: port, websocket: port.optional() }),
    serves: z.array(z.strictObject({ contract: dnsLabel, grpcService: z.string().min(1), proto: z.string().min(1) })),
    calls: z.array(
      z.strictObject({
        contract: dnsLabel,
        grpcService: z.string().min(1),
        target: z.string().min(1).describe('gRPC target, dns:///<host>:<port>'),
        timeout: duration.describe('per-try timeout: the gRPC deadline of each try'),
        timeoutMs: millis,
        retries: z.number().int().nonnegative().describe('retries after the first try'),
      }),
    ),
    publishes: z.array(z.strictObject({ event: dnsLabel, subject, version: z.number().int().positive(), stream: z.string().min(1).optional() })),
    subscribes: z.array(
      z.strictObject({
        event: dnsLabel,
        subject: subject.describe('named tokens replaced by *'),
        version: z.number().int().positive(),
        delivery: z
          .enum(['queue', 'broadcast', 'pod'])
          .optional()
          .describe("which replicas get each message: 'queue' one (the default when absent), 'broadcast' every one, 'pod' the pod named in the subject"),
        queueGroup: z.string().min(1).optional().describe("the queue group to subscribe in ('queue' delivery, core NATS)"),
        durable: z.boolean().describe("'queue' delivery through the durable consumer `consumer` of `stream`"),
        stream: z.string().min(1).optional(),
        consumer: z.string().min(1).optional(),
        replay: z
          .enum(['new', 'all'])
          .optional()
          .describe("'broadcast' of a stream: each pod creates an ordered consumer on `stream`, filtered to `subject`, starting at new messages or all kept ones"),
        podSubject: subject.optional().describe("'pod' delivery: subscribe to this subject with {pod} replaced by the pod's name ($POD_NAME)"),
      }),
    ),
    dependencies: z
      .array(
        z.strictObject({
          endpoint: dnsLabel,
          protocol: z.string().min(1).describe('what is spoken: postgresql, redis, https…'),
          host: z.string().min(1),
          port,
          secret: z.string().min(1).describe('the Secret in the service\'s namespace holding the credentials'),
          env: z.record(z.string(), z.string().regex(/^[A-Z_][A-Z0-9_]*$/)).describe('Secret key → environment variable that holds its value'),
        }),
      )
      .optional()
      .describe('external endpoints (datastores, partner APIs) the service connects to; present only when it declares some'),
    nats: z
      .strictObject({
        url: z.string().min(1),
        user: z.string().min(1),
        passwordEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
        inboxPrefix: z.string().min(1),
      })
      .optional()
      .describe('present only when the service publishes or subscribes'),
  })
  .describe('polyglot.dev/service-config/v1: the per-service config synth writes to /etc/polyglot/service.json');

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;

/** The JSON Schema (draft 2020-12) of the service config, as published in schemas/. */
export function serviceConfigJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://polyglot.dev/schemas/service-config.v1.json',
    title: SERVICE_CONFIG_SCHEMA_ID,
    ...z.toJSONSchema(serviceConfigSchema, { target: 'draft-2020-12', io: 'input' }),
  };
}
