import { hasRole, type Principal } from '../auth/principal.js';

/**
 * Official ids (CURP, RFC, NSS) are personal data (LFPDPPP): agents see enough to confirm them
 * with the citizen — the first four and the last two characters, the last four digits of an NSS —
 * while supervisors, admins and auditors see them whole. Search still takes the whole id.
 */
export const ROLES_SEEING_OFFICIAL_IDS = ['admin', 'supervisor', 'auditor'] as const;

export function seesOfficialIds(principal: Pick<Principal, 'roles'>): boolean {
  return hasRole(principal as Principal, ROLES_SEEING_OFFICIAL_IDS);
}

export function maskOfficialId(kind: 'curp' | 'rfc' | 'nss', value: string | null): string | null {
  if (value === null) return null;
  if (kind === 'nss') return `${'•'.repeat(Math.max(0, value.length - 4))}${value.slice(-4)}`;
  if (value.length <= 6) return '•'.repeat(value.length);
  return `${value.slice(0, 4)}${'•'.repeat(value.length - 6)}${value.slice(-2)}`;
}

/** The view as this caller may see it. */
export function withOfficialIdsFor<T extends { curp: string | null; rfc: string | null; nss: string | null }>(principal: Pick<Principal, 'roles'>, view: T): T {
  if (seesOfficialIds(principal)) return view;
  return { ...view, curp: maskOfficialId('curp', view.curp), rfc: maskOfficialId('rfc', view.rfc), nss: maskOfficialId('nss', view.nss) };
}
