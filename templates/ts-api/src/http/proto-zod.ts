// Request bodies are protobuf JSON (lowerCamelCase field names, 64-bit integers as strings, enums
// by name) of the called method's input message. This derives a zod schema from the generated
// message descriptor, so malformed input is rejected with a 400 that lists every bad field before
// anything is sent upstream. Tighten a route with its own zod schema (`.extend`, refinements) where
// the domain has rules the proto cannot express.
import { ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';
import { z } from 'zod';

const INT64 = z.union([z.int(), z.string().regex(/^-?\d+$/, 'must be a decimal integer')]);
const UINT64 = z.union([z.int().nonnegative(), z.string().regex(/^\d+$/, 'must be a decimal integer ≥ 0')]);
const FLOAT = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);

function scalar(type: ScalarType): z.ZodType {
  switch (type) {
    case ScalarType.STRING:
      return z.string();
    case ScalarType.BOOL:
      return z.boolean();
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return z.int32();
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return z.uint32();
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return INT64;
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return UINT64;
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      return FLOAT;
    case ScalarType.BYTES:
      return z.union([z.base64(), z.base64url()]);
  }
}

function enumSchema(desc: DescEnum): z.ZodType {
  const names = desc.values.map((v) => v.name);
  return names.length > 0 ? z.union([z.enum(names as [string, ...string[]]), z.int32()]) : z.int32();
}

const messages = new WeakMap<DescMessage, z.ZodType>();

function single(field: DescField, kind: 'scalar' | 'enum' | 'message'): z.ZodType {
  if (kind === 'scalar' && field.scalar !== undefined) return scalar(field.scalar);
  if (kind === 'enum' && field.enum) return enumSchema(field.enum);
  if (kind === 'message' && field.message) {
    const message = field.message;
    return z.lazy(() => zodFromMessage(message));
  }
  return z.unknown();
}

function fieldSchema(field: DescField): z.ZodType {
  switch (field.fieldKind) {
    case 'scalar':
    case 'enum':
    case 'message':
      return single(field, field.fieldKind);
    case 'list':
      return z.array(single(field, field.listKind));
    case 'map':
      return z.record(z.string(), single(field, field.mapKind));
  }
}

/** The zod schema of a message's protobuf JSON form. Every field is optional (proto3). */
export function zodFromMessage(desc: DescMessage): z.ZodType {
  const known = messages.get(desc);
  if (known) return known;
  // Well-known types have special JSON forms (RFC 3339 timestamps, "1.5s" durations, wrappers as
  // plain values…); fromJson checks those.
  if (desc.typeName.startsWith('google.protobuf.')) return z.unknown();
  const shape: Record<string, z.ZodType> = {};
  for (const field of desc.fields) shape[field.jsonName] = fieldSchema(field).optional();
  const oneofs = desc.oneofs.map((oneof) => ({ name: oneof.name, fields: oneof.fields.map((f) => f.jsonName) }));
  const schema = z.strictObject(shape).superRefine((value, ctx) => {
    for (const oneof of oneofs) {
      const set = oneof.fields.filter((name) => (value as Record<string, unknown>)[name] !== undefined);
      if (set.length > 1) ctx.addIssue({ code: 'custom', message: `at most one of ${set.join(', ')} may be set (oneof ${oneof.name})`, path: [set[1]!] });
    }
  });
  messages.set(desc, schema);
  return schema;
}
