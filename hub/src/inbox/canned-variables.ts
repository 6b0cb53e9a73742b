/**
 * Variables of canned responses, shared by the hub (validated on write) and the inbox UI (rendered
 * before the agent sends). No imports on purpose: the browser bundle takes this file as it is.
 */
export const CANNED_VARIABLES = ['contact.name', 'contact.firstName', 'folio', 'agent.name', 'agent.firstName', 'campaign.name'] as const;

export type CannedVariable = (typeof CANNED_VARIABLES)[number];

export type CannedVariableValues = Partial<Record<CannedVariable, string | null | undefined>>;

/** `{{ name }}`; names are letters, digits, `.` and `_` (anything else is reported as written). */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

function isCannedVariable(name: string): name is CannedVariable {
  return (CANNED_VARIABLES as readonly string[]).includes(name);
}

/**
 * Every distinct variable the body names, in order of first use, split into known and unknown;
 * `unclosed` when a `{{` or `}}` is left over (a placeholder typed half-way).
 */
export function cannedVariablesIn(body: string): { known: CannedVariable[]; unknown: string[]; unclosed: boolean } {
  const known: CannedVariable[] = [];
  const unknown: string[] = [];
  for (const match of body.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (isCannedVariable(name)) {
      if (!known.includes(name)) known.push(name);
    } else if (!unknown.includes(name)) {
      unknown.push(name);
    }
  }
  const rest = body.replace(PLACEHOLDER, '');
  return { known, unknown, unclosed: rest.includes('{{') || rest.includes('}}') };
}

function firstName(name: string | null | undefined): string | undefined {
  const first = name?.trim().split(/\s+/)[0];
  return first === undefined || first === '' ? undefined : first;
}

/**
 * Fills the placeholders the values cover. A first name defaults to the first word of the full
 * name. A variable without a value stays as `{{name}}`, so the agent sees what is missing
 * instead of sending "Hola ," to a citizen.
 */
export function renderCannedResponse(body: string, values: CannedVariableValues): string {
  const filled: CannedVariableValues = {
    ...values,
    'contact.firstName': values['contact.firstName'] ?? firstName(values['contact.name']),
    'agent.firstName': values['agent.firstName'] ?? firstName(values['agent.name']),
  };
  return body.replace(PLACEHOLDER, (whole, name: string) => {
    if (!isCannedVariable(name)) return whole;
    const value = filled[name]?.trim();
    return value ? value : `{{${name}}}`;
  });
}
