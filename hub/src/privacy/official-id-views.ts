import type { Principal } from '../auth/principal.js';
import { maskOfficialId, seesOfficialIds } from '../contacts/official-id-mask.js';

/**
 * The appointment views carry the NSS or CURP they were booked with; agents get
 * them masked like everywhere else (contacts/official-id-mask.ts: admin, supervisor and auditor
 * see them whole). familyGroupId defaults to the same id, so it is masked when it is that id.
 */
export function appointmentViewFor<T extends { officialIdKind: 'nss' | 'curp'; officialId: string; familyGroupId: string }>(principal: Pick<Principal, 'roles'>, view: T): T {
  if (seesOfficialIds(principal)) return view;
  const masked = maskOfficialId(view.officialIdKind, view.officialId) ?? '';
  return { ...view, officialId: masked, familyGroupId: view.familyGroupId === view.officialId ? masked : view.familyGroupId };
}
