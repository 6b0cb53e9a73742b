import type { OfficialIdChecks } from '@ventanilla/bots';
import { validateCurp, validateNss, validateRfc, type OfficialIdResult } from '../../contacts/official-ids.js';

/** The same clean-up the validators apply, so an invalid id is still shown normalised to the citizen and the agent. */
function compact(raw: string): string {
  return raw.normalize('NFC').replace(/[\s-]+/g, '').toUpperCase();
}

function check(validate: (raw: string) => OfficialIdResult): (raw: string) => { valid: boolean; normalized: string } {
  return (raw) => {
    const result = validate(raw);
    return result.ok ? { valid: true, normalized: result.value } : { valid: false, normalized: compact(raw) };
  };
}

/**
 * The hub's check-digit algorithms (contacts/official-ids.ts) given to the NLU, so the bot and
 * the agent desk accept and reject exactly the same CURP, RFC and NSS.
 */
export const officialIdChecks: OfficialIdChecks = {
  curp: check(validateCurp),
  rfc: check(validateRfc),
  nss: check(validateNss),
};
