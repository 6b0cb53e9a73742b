import { describe, expect, it } from 'vitest';
import { casePath, folioFromPath } from './portal-path.js';

describe('folioFromPath (a direct link opens one case)', () => {
  it('reads the folio of /portal/tramite/<folio>, upper-cased', () => {
    expect(folioFromPath('/portal/tramite/tram-20261127-000012')).toBe('TRAM-20261127-000012');
    expect(folioFromPath('/portal/tramite/TRAM-20261127-000012/')).toBe('TRAM-20261127-000012');
  });

  it('is null for the other portal paths and for a broken escape', () => {
    expect(folioFromPath('/portal')).toBeNull();
    expect(folioFromPath('/portal/tramite/')).toBeNull();
    expect(folioFromPath('/portal/tramite/%E0%A4%A')).toBeNull();
  });

  it('builds the link back', () => {
    expect(casePath('TRAM-20261127-000012')).toBe('/portal/tramite/TRAM-20261127-000012');
  });
});
