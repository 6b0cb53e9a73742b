import { z } from 'zod';
import { configSchema } from './config.schema.js';

export interface ConfigVariableDoc {
  name: string;
  /** Printed default; undefined when the variable has none. */
  defaultValue: string | undefined;
  required: boolean;
  /** Allowed values when the variable is an enumeration. */
  values: string[] | undefined;
  description: string;
}

/**
 * The configuration reference, read from the schema itself so the README table cannot drift
 * from what the hub actually accepts (test/docs/readme.test.ts compares them).
 */
export function configVariableDocs(): ConfigVariableDoc[] {
  return Object.entries(configSchema.shape).map(([name, field]: [string, z.ZodType]) => {
    // What the hub does when the variable is unset: a default, nothing (optional), or an error.
    const unset = field.safeParse(undefined);
    const required = !unset.success;
    const defaultValue = unset.success && unset.data !== undefined ? String(unset.data) : undefined;
    return { name, defaultValue, required, values: enumValues(field), description: field.description ?? '' };
  });
}

/** Markdown table: Variable | Default | Meaning. Required variables say so instead of a default. */
export function configTableMarkdown(): string {
  const rows = configVariableDocs().map((doc) => {
    const fallback = doc.required ? '**required**' : doc.defaultValue === undefined ? '—' : code(doc.defaultValue);
    const values = doc.values ? ` One of: ${doc.values.map(code).join(', ')}.` : '';
    return `| ${code(doc.name)} | ${fallback} | ${escapeCell(doc.description + values)} |`;
  });
  return ['| Variable | Default | Meaning |', '|---|---|---|', ...rows].join('\n') + '\n';
}

/** Looks through defaults, optionals and transforms for an enumeration of accepted strings. */
function enumValues(field: z.core.$ZodType): string[] | undefined {
  let current: z.core.$ZodType = field;
  for (let depth = 0; depth < 10; depth++) {
    if (current instanceof z.core.$ZodEnum) return Object.values(current._zod.def.entries).map(String);
    if (current instanceof z.core.$ZodDefault || current instanceof z.core.$ZodOptional) current = current._zod.def.innerType;
    else if (current instanceof z.core.$ZodPipe) current = current._zod.def.in;
    else return undefined;
  }
  return undefined;
}

function code(text: string): string {
  return `\`${text}\``;
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
