import { describe, expect, it } from 'vitest';
import { maskOfficialId, withOfficialIdsFor } from './official-id-mask.js';

describe('official ids as each role sees them', () => {
  const view = { curp: 'LOPM850315MDFPRR03', rfc: 'LOPM850315AB1', nss: '01987605233', displayName: 'María' };

  it('masks all but the first four and last two characters, and all but the last four NSS digits', () => {
    expect(maskOfficialId('curp', view.curp)).toBe('LOPM••••••••••••03');
    expect(maskOfficialId('rfc', view.rfc)).toBe('LOPM•••••••B1');
    expect(maskOfficialId('nss', view.nss)).toBe('•••••••5233');
    expect(maskOfficialId('curp', null)).toBeNull();
  });

  it('agents and trainers get masked ids; supervisors, admins and auditors whole ones', () => {
    for (const roles of [['agent'], ['trainer']] as const) expect(withOfficialIdsFor({ roles: [...roles] }, view).curp).toBe('LOPM••••••••••••03');
    for (const roles of [['supervisor'], ['admin'], ['auditor'], ['agent', 'supervisor']] as const) expect(withOfficialIdsFor({ roles: [...roles] }, view)).toEqual(view);
  });
});
