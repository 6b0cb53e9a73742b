import type { OfficialIdChecks } from '../../engine.contract.js';
import { curpCheckDigit, nssCheckDigit, rfcCheckDigit, validateCurp, validateNss, validateRfc, type OfficialIdResult } from '../../../../hub/src/contacts/official-ids.js';

/**
 * TESTS ONLY: the checks the hub gives the NLU (hub/src/bots/runtime/official-id-checks.ts),
 * built from the same functions, plus samples whose check digits are right. Production code of
 * the bots package never imports the hub.
 */
function adapt(validate: (raw: string) => OfficialIdResult): (raw: string) => { valid: boolean; normalized: string } {
  return (raw) => {
    const result = validate(raw);
    return result.ok ? { valid: true, normalized: result.value } : { valid: false, normalized: raw.replace(/[\s-]+/g, '').toUpperCase() };
  };
}

export const testChecks: OfficialIdChecks = { curp: adapt(validateCurp), rfc: adapt(validateRfc), nss: adapt(validateNss) };

export function validNss(first10: string): string {
  return first10 + nssCheckDigit(first10);
}

export function validCurp(first17: string): string {
  return first17 + curpCheckDigit(first17);
}

export function validRfc(withoutDigit: string): string {
  return withoutDigit + rfcCheckDigit(withoutDigit);
}

/** The same id with its last character changed: the check digit no longer holds. */
export function breakCheckDigit(id: string): string {
  const last = id.slice(-1);
  return id.slice(0, -1) + (last === '0' ? '1' : '0');
}
