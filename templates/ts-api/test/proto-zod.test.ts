// The zod schema derived from a message descriptor accepts protobuf JSON and rejects the rest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { create, createFileRegistry, type DescMessage } from '@bufbuild/protobuf';
import { FieldDescriptorProto_Label as Label, FieldDescriptorProto_Type as Type, FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import { parseInput } from '../src/http/forward.ts';
import { ValidationProblem } from '../src/http/problem.ts';

const field = (name: string, number: number, type: Type, extra: object = {}) => ({ name, number, type, label: Label.OPTIONAL, jsonName: name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), ...extra });
const registry = createFileRegistry(
  create(FileDescriptorProtoSchema, {
    name: 'test/v1/shapes.proto',
    package: 'test.v1',
    syntax: 'proto3',
    enumType: [{ name: 'Color', value: [{ name: 'COLOR_UNSPECIFIED', number: 0 }, { name: 'COLOR_RED', number: 1 }] }],
    messageType: [
      {
        name: 'Order',
        field: [
          field('order_id', 1, Type.STRING),
          field('amount_cents', 2, Type.INT64),
          field('quantity', 3, Type.UINT32),
          field('color', 4, Type.ENUM, { typeName: '.test.v1.Color' }),
          field('tags', 5, Type.STRING, { label: Label.REPEATED }),
          field('parent', 6, Type.MESSAGE, { typeName: '.test.v1.Order' }),
          field('paid', 7, Type.BOOL),
        ],
      },
    ],
  }),
  () => undefined,
);
const Order = registry.getMessage('test.v1.Order') as DescMessage;

function errors(body: unknown): string[] {
  try {
    parseInput(Order, body);
  } catch (error) {
    assert.ok(error instanceof ValidationProblem);
    return error.errors.map((e) => e.path);
  }
  return [];
}

test('valid protobuf JSON is accepted and converted', () => {
  const order = parseInput(Order, { orderId: 'o-1', amountCents: '1200', quantity: 3, color: 'COLOR_RED', tags: ['a'], parent: { orderId: 'o-0' }, paid: true }) as unknown as Record<string, unknown>;
  assert.equal(order['orderId'], 'o-1');
  assert.equal(order['amountCents'], 1200n);
  assert.equal(order['color'], 1);
  assert.equal((order['parent'] as Record<string, unknown>)['orderId'], 'o-0');
});

test('every invalid field is reported with its path', () => {
  assert.deepEqual(errors({ orderId: 5, quantity: -1, color: 'BLUE', tags: 'a', paid: 'yes' }).sort(), ['color', 'orderId', 'paid', 'quantity', 'tags']);
  assert.deepEqual(errors({ amountCents: '12.5' }), ['amountCents']);
  assert.deepEqual(errors({ parent: { nope: 1 } }), ['parent']);
  assert.deepEqual(errors({ order_id: 'snake case is not the JSON name' }), ['(body)']);
  assert.deepEqual(errors([1]), ['(body)']);
});
