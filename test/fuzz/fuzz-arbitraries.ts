import fc from 'fast-check';

/** One fixed seed for every fuzz run, printed by the runners, so a failure replays exactly. */
export const FUZZ_SEED = Number(process.env['FUZZ_SEED'] ?? 20261127);

/** Keys that break naive parsers (prototype pollution, shadowed methods) next to ordinary ones. */
export const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'length', '', ' ', 'ñ', '0'];

/** Values that break naive code paths: huge, negative, odd types, odd strings. */
const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  1.5,
  '',
  ' ',
  'null',
  '0',
  'NaN',
  '9999999999999999999999',
  '\u0000',
  '\uD800',
  '🙂',
  'a'.repeat(5000),
  [],
  {},
  [[[[[]]]]],
  { __proto__: null },
];

export const hostileValue: fc.Arbitrary<unknown> = fc.constantFrom(...HOSTILE_VALUES);

/** Any JSON value, hostile ones mixed in. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof({ weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) }, { weight: 1, arbitrary: hostileValue });

type Json = unknown;
interface Slot {
  parent: Record<string, Json> | Json[];
  key: string | number;
}

function slotsOf(value: Json, into: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((child, index) => {
      into.push({ parent: value, key: index });
      slotsOf(child, into);
    });
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      into.push({ parent: value, key });
      slotsOf(value[key], into);
    }
  }
  return into;
}

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setSlot(slot: Slot, value: Json): void {
  if (Array.isArray(slot.parent)) slot.parent[Number(slot.key)] = value;
  else Object.defineProperty(slot.parent, String(slot.key), { value, enumerable: true, writable: true, configurable: true });
}

function getSlot(slot: Slot): Json {
  return Array.isArray(slot.parent) ? slot.parent[Number(slot.key)] : slot.parent[String(slot.key)];
}

export type JsonMutation = { op: 'replace' | 'delete' | 'rename' | 'wrap' | 'duplicate' | 'stringify'; at: number; value: unknown; key: string };

export const jsonMutation: fc.Arbitrary<JsonMutation> = fc.record({
  op: fc.constantFrom('replace', 'delete', 'rename', 'wrap', 'duplicate', 'stringify'),
  at: fc.nat(),
  value: anyJson,
  key: fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 })),
});

/** Applies structural mutations to a deep copy of a recorded valid payload. */
export function mutateJson(original: unknown, mutations: readonly JsonMutation[]): unknown {
  let root: Json = structuredClone(original);
  for (const m of mutations) {
    const slots = slotsOf(root);
    if (slots.length === 0) {
      root = structuredClone(m.value);
      continue;
    }
    const slot = slots[m.at % slots.length]!;
    const current = getSlot(slot);
    switch (m.op) {
      case 'replace':
        // A copy: the generated value may be a shared constant, and later mutations must not make it circular.
        setSlot(slot, structuredClone(m.value));
        break;
      case 'delete':
        if (Array.isArray(slot.parent)) slot.parent.splice(Number(slot.key), 1);
        else delete slot.parent[String(slot.key)];
        break;
      case 'rename':
        if (!Array.isArray(slot.parent)) {
          delete slot.parent[String(slot.key)];
          setSlot({ parent: slot.parent, key: m.key }, current);
        }
        break;
      case 'wrap':
        setSlot(slot, [current]);
        break;
      case 'duplicate':
        if (Array.isArray(slot.parent)) slot.parent.push(structuredClone(current));
        else setSlot({ parent: slot.parent, key: `${String(slot.key)}${m.key}` }, structuredClone(current));
        break;
      case 'stringify':
        setSlot(slot, JSON.stringify(current) ?? 'undefined');
        break;
    }
  }
  return root;
}

export type ByteMutation = { op: 'flip' | 'insert' | 'delete' | 'truncate'; at: number; byte: number };

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.record({
  op: fc.constantFrom('flip', 'insert', 'delete', 'truncate'),
  at: fc.nat(),
  byte: fc.integer({ min: 0, max: 255 }),
});

/** Byte-level damage to a body (broken UTF-8, cut JSON, stray bytes). */
export function mutateBytes(original: Buffer, mutations: readonly ByteMutation[]): Buffer {
  let bytes = Buffer.from(original);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.op === 'flip' && bytes.length > 0) bytes[at] = m.byte;
    else if (m.op === 'insert') bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([m.byte]), bytes.subarray(at)]);
    else if (m.op === 'delete') bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
    else if (m.op === 'truncate') bytes = bytes.subarray(0, at);
  }
  return bytes;
}

/** A body: a mutated fixture (structurally or byte-wise), random JSON, or random bytes/text. */
export function bodyArbitrary(fixtures: readonly unknown[], encode: (value: unknown) => Buffer): fc.Arbitrary<Buffer> {
  const fixture = fc.constantFrom(...fixtures);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fixture, fc.array(jsonMutation, { minLength: 1, maxLength: 4 })).map(([f, ms]) => encode(mutateJson(f, ms))) },
    { weight: 2, arbitrary: fc.tuple(fixture, fc.array(byteMutation, { minLength: 1, maxLength: 4 })).map(([f, ms]) => mutateBytes(encode(f), ms)) },
    { weight: 2, arbitrary: anyJson.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)) },
  );
}

/** Random header values, arrays included (Node gives arrays for repeated headers). */
export const headerValue: fc.Arbitrary<string | string[] | undefined> = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.constantFrom('sha256=', 'sha256=00', 'sha1=abc', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', '', undefined),
  fc.array(fc.string({ maxLength: 40 }), { maxLength: 3 }),
);
