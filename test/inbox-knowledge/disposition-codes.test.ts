import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboxWorld, type InboxWorld } from './inbox-fixtures.js';

interface Code {
  id: string;
  campaignId: string;
  parentId: string | null;
  code: string;
  label: string;
  active: boolean;
  position: number;
}

describe('disposition codes (tipification tree) API', () => {
  let w: InboxWorld;
  const create = async (token: string, body: Record<string, unknown>, campaignId = w.campaignId) => w.api('POST', `/campaigns/${campaignId}/disposition-codes`, token, body);
  const created = async (body: Record<string, unknown>, campaignId?: string): Promise<Code> => {
    const res = await create(campaignId === undefined ? w.tokens.supervisor : w.tokens.outsider, body, campaignId);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Code;
  };

  beforeAll(async () => {
    w = await createInboxWorld();
  });
  afterAll(async () => {
    await w.hub.cleanup();
  });

  it('builds a three-level tree; siblings get the next position; staff read it as a flat list', async () => {
    const af = await created({ code: 'AF', label: 'Afiliación' });
    const ci = await created({ code: 'CI', label: 'Citas', parentId: null });
    const vig = await created({ code: 'AF.VIG', label: 'Vigencia de derechos', parentId: af.id });
    const alta = await created({ code: 'AF.ALTA', label: 'Alta', parentId: af.id });
    const sin = await created({ code: 'AF.VIG.NO', label: 'Sin vigencia', parentId: vig.id });
    expect(af).toEqual({ id: expect.any(String), campaignId: w.campaignId, parentId: null, code: 'AF', label: 'Afiliación', active: true, position: 0 });
    expect([ci.position, vig.position, alta.position, sin.position]).toEqual([1, 0, 1, 0]);
    expect(sin.parentId).toBe(vig.id);

    for (const token of [w.tokens.agent, w.tokens.auditor, w.tokens.trainer]) {
      const res = await w.api('GET', `/campaigns/${w.campaignId}/disposition-codes`, token);
      expect(res.statusCode).toBe(200);
      expect((res.json().items as Code[]).map((c) => c.code)).toEqual(['AF', 'CI', 'AF.VIG', 'AF.ALTA', 'AF.VIG.NO']);
    }
    expect(await w.auditOf(af.id)).toEqual(['disposition_code.created']);
  });

  it('refuses a fourth level, an unknown parent and a parent of another campaign (400, naming it)', async () => {
    const codes = (await w.api('GET', `/campaigns/${w.campaignId}/disposition-codes`, w.tokens.agent)).json().items as Code[];
    const leaf = codes.find((c) => c.code === 'AF.VIG.NO')!;
    const deep = await create(w.tokens.supervisor, { code: 'AF.VIG.NO.X', label: 'Demasiado profundo', parentId: leaf.id });
    expect(deep.statusCode).toBe(400);
    expect(deep.json().error.code).toBe('HUB_ERR_DISPOSITION_TREE_INVALID');
    expect(deep.json().error.message).toContain('3 niveles');

    const unknown = randomUUID();
    const orphan = await create(w.tokens.supervisor, { code: 'X1', label: 'Huérfano', parentId: unknown });
    expect(orphan.statusCode).toBe(400);
    expect(orphan.json().error.message).toContain(unknown);

    const foreign = await created({ code: 'PA', label: 'Patrones' }, w.otherCampaignId);
    const cross = await create(w.tokens.supervisor, { code: 'X2', label: 'Cruzado', parentId: foreign.id });
    expect(cross.statusCode).toBe(400);
    expect(cross.json().error.message).toContain('otra campaña');
    expect(cross.json().error.message).toContain('another campaign');
  });

  it('validates code and label bilingually; a code repeated in the campaign is 409, in another campaign fine', async () => {
    for (const [body, text] of [
      [{ code: 'af.vig', label: 'Minúsculas' }, 'code: el código'],
      [{ code: 'A'.repeat(21), label: 'Largo' }, 'code:'],
      [{ code: 'OK1', label: '' }, 'label: la etiqueta es obligatoria'],
      [{ code: 'OK1', label: 'x', parentId: 'no-uuid' }, 'parentId:'],
    ] as const) {
      const res = await create(w.tokens.supervisor, body);
      expect(res.statusCode, text).toBe(400);
      expect(res.json().error.message).toContain(text);
      expect(res.json().error.message).toContain(' / ');
    }
    const dup = await create(w.tokens.admin, { code: 'AF', label: 'Otra vez' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toContain('«AF»');
    expect((await create(w.tokens.outsider, { code: 'AF', label: 'Afiliación patronal' }, w.otherCampaignId)).statusCode).toBe(201);
  });

  it('only admins and supervisors of the campaign write; other campaigns do not read', async () => {
    for (const token of [w.tokens.agent, w.tokens.trainer, w.tokens.auditor]) expect((await create(token, { code: 'NO', label: 'No' })).statusCode).toBe(403);
    expect((await create(w.tokens.outsider, { code: 'NO', label: 'No' })).json().error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    expect((await w.api('GET', `/campaigns/${w.campaignId}/disposition-codes`, w.tokens.outsiderAgent)).statusCode).toBe(403);
    expect((await create(w.tokens.admin, { code: 'NO', label: 'No' }, randomUUID())).statusCode).toBe(404);
  });

  it('PUT relabels, reorders and deactivates (audited); there is no hard delete', async () => {
    const codes = (await w.api('GET', `/campaigns/${w.campaignId}/disposition-codes`, w.tokens.agent)).json().items as Code[];
    const ci = codes.find((c) => c.code === 'CI')!;
    const url = `/disposition-codes/${ci.id}`;
    const relabeled = await w.api('PUT', url, w.tokens.supervisor, { label: 'Citas médicas', position: 7 });
    expect(relabeled.statusCode).toBe(200);
    expect(relabeled.json()).toEqual({ ...ci, label: 'Citas médicas', position: 7 });
    const off = await w.api('PUT', url, w.tokens.supervisor, { active: false });
    expect(off.json()).toMatchObject({ active: false, label: 'Citas médicas', code: 'CI' });
    expect((await w.api('GET', `/campaigns/${w.campaignId}/disposition-codes`, w.tokens.agent)).json().items).toContainEqual(off.json());

    expect((await w.api('PUT', url, w.tokens.supervisor, {})).json().error.message).toContain('indique label, active o position');
    expect((await w.api('PUT', url, w.tokens.supervisor, { position: -1 })).statusCode).toBe(400);
    expect((await w.api('PUT', url, w.tokens.supervisor, { active: 'no' })).statusCode).toBe(400);
    expect((await w.api('PUT', url, w.tokens.agent, { label: 'x' })).statusCode).toBe(403);
    expect((await w.api('PUT', url, w.tokens.outsider, { label: 'x' })).statusCode).toBe(403);
    expect((await w.api('PUT', `/disposition-codes/${randomUUID()}`, w.tokens.supervisor, { label: 'x' })).json().error.code).toBe('HUB_ERR_DISPOSITION_CODE_NOT_FOUND');
    expect((await w.api('DELETE', url, w.tokens.admin)).statusCode).toBe(404);
    expect(await w.auditOf(ci.id)).toEqual(['disposition_code.created', 'disposition_code.updated', 'disposition_code.updated']);
  });
});
