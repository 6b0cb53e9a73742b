import { randomUUID } from 'node:crypto';
import type { Fixtures } from './authz-world.js';

/** The slice of JSON Schema the OpenAPI document uses for bodies and query strings. */
export interface JsonSchema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  pattern?: string;
}

/**
 * A small value the schema accepts, so the request gets past validation to the handler's role
 * check (which runs after it). Ids named after a resource point at campaign A's rows.
 */
export function exampleOf(schema: JsonSchema, name: string, fx: Fixtures): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0) {
    const chosen = alternatives.find((s) => s.type !== 'null') ?? alternatives[0];
    return chosen ? exampleOf(chosen, name, fx) : null;
  }
  if (schema.allOf && schema.allOf.length > 0) {
    return Object.assign({}, ...schema.allOf.map((s) => exampleOf(s, name, fx)));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const key of schema.required ?? []) value[key] = exampleOf(schema.properties?.[key] ?? {}, key, fx);
      return value;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => exampleOf(schema.items ?? {}, name, fx));
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
    case 'boolean':
      return false;
    case 'string':
      return stringExample(schema, name, fx);
    default:
      return {};
  }
}

function stringExample(schema: JsonSchema, name: string, fx: Fixtures): string {
  if (schema.format === 'uuid') return idFor(name, fx);
  if (schema.format === 'date-time') return new Date().toISOString();
  if (schema.format === 'date') return '2026-01-15';
  if (schema.format === 'email') return 'ciudadana@example.mx';
  if (schema.format === 'uri' || schema.format === 'url') return 'https://example.mx/';
  if (/month/i.test(name)) return '2026-01';
  if (/^(time|start|end|from|to)$/i.test(name)) return '2026-01-15';
  return 'x'.repeat(Math.max(schema.minLength ?? 1, 8));
}

function idFor(name: string, fx: Fixtures): string {
  if (/campaign/i.test(name)) return fx.campaignA;
  if (/conversation/i.test(name)) return fx.conversation;
  if (/queue/i.test(name)) return fx.queue;
  if (/channel/i.test(name)) return fx.channel;
  if (/contact/i.test(name)) return fx.contact;
  if (/user|agent/i.test(name)) return fx.userIds.agent;
  return randomUUID();
}
