import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInboxWorld, type InboxWorld } from './inbox-fixtures.js';

describe('canned responses API', () => {
  let w: InboxWorld;
  const list = async (token: string, q?: string) => {
    const res = await w.api('GET', `/campaigns/${w.campaignId}/canned-responses${q === undefined ? '' : `?q=${encodeURIComponent(q)}`}`, token);
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: { shortcut: string }[] }).items.map((i) => i.shortcut);
  };

  beforeAll(async () => {
    w = await createInboxWorld();
  });
  afterAll(async () => {
    await w.hub.cleanup();
  });

  it('a supervisor creates one; every staff role of the campaign reads it with the documented shape', async () => {
    const body = { shortcut: 'saludo', title: 'Saludo inicial', body: 'Hola {{contact.name}}, le atiende {{agent.name}} de {{campaign.name}}. Folio {{folio}}.' };
    const created = await w.api('POST', `/campaigns/${w.campaignId}/canned-responses`, w.tokens.supervisor, body);
    expect(created.statusCode).toBe(201);
    const item = created.json();
    expect(item).toEqual({ id: expect.any(String), campaignId: w.campaignId, ...body, updatedAt: expect.any(String) });
    for (const token of [w.tokens.agent, w.tokens.trainer, w.tokens.auditor, w.tokens.admin]) {
      const res = await w.api('GET', `/campaigns/${w.campaignId}/canned-responses`, token);
      expect(res.statusCode).toBe(200);
      expect(res.json().items).toContainEqual(item);
    }
    expect(await w.auditOf(item.id)).toEqual(['canned_response.created']);
  });

  it('searches by shortcut prefix, title or body, ignoring accents and case; a leading slash is tolerated', async () => {
    for (const [shortcut, title, body] of [
      ['credito', 'Crédito fiscal', 'Información sobre créditos.'],
      ['espera', 'Pedir un momento', 'Permítame un momento, por favor.'],
      ['cierre', 'Despedida', 'Gracias por comunicarse; su folio es {{folio}}.'],
    ]) {
      expect((await w.api('POST', `/campaigns/${w.campaignId}/canned-responses`, w.tokens.supervisor, { shortcut, title, body })).statusCode).toBe(201);
    }
    expect(await list(w.tokens.agent, 'sal')).toEqual(['saludo']);
    // «esp» is a prefix of the shortcut «espera» and inside the title «Despedida»: the prefix comes first.
    expect(await list(w.tokens.agent, '/esp')).toEqual(['espera', 'cierre']);
    expect(await list(w.tokens.agent, 'CRÉDITO')).toEqual(['credito']);
    expect(await list(w.tokens.agent, 'permitame')).toEqual(['espera']);
    expect(await list(w.tokens.agent, 'folio')).toEqual(['cierre', 'saludo']);
    // The user's LIKE wildcards are taken literally.
    expect(await list(w.tokens.agent, '%')).toEqual([]);
    expect(await list(w.tokens.agent)).toEqual(['cierre', 'credito', 'espera', 'saludo']);
  });

  it('puts a shortcut-prefix match before matches in the text', async () => {
    await w.api('POST', `/campaigns/${w.campaignId}/canned-responses`, w.tokens.supervisor, { shortcut: 'zz-despedida', title: 'Otra', body: 'Texto' });
    await w.api('POST', `/campaigns/${w.campaignId}/canned-responses`, w.tokens.supervisor, { shortcut: 'aa-uno', title: 'Menciona zz-despedida', body: 'Texto' });
    expect(await list(w.tokens.agent, 'zz')).toEqual(['zz-despedida', 'aa-uno']);
  });

  it('rejects a body with unknown variables, naming them, and unclosed braces', async () => {
    const res = await w.api('POST', `/campaigns/${w.campaignId}/canned-responses`, w.tokens.supervisor, { shortcut: 'malo', title: 'Mala', body: 'Hola {{contact.nombre}}, folio {{folio}} {{usuario.rfc}}' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('HUB_ERR_CANNED_VARIABLE_UNKNOWN');
    expect(res.json().error.message).toContain('{{contact.nombre}}, {{usuario.rfc}}');
    expect(res.json().error.message).toContain(' / unknown variable');
    expect(res.json().error.details.unknown).toEqual(['contact.nombre', 'usuario.rfc']);
    const unclosed = await w.api('POST', `/campaigns/${w.campaignId}/canned-responses`, w.tokens.supervisor, { shortcut: 'malo', title: 'Mala', body: 'Hola {{contact.name' });
    expect(unclosed.statusCode).toBe(400);
    expect(unclosed.json().error.message).toMatch(/sin cerrar/);
    expect(await list(w.tokens.agent, 'malo')).toEqual([]);
  });

  it('answers 400 in Spanish and English naming the field for a bad shortcut, title or body', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ shortcut: 'Saludo Inicial', title: 'x', body: 'y' }, 'shortcut: el atajo'],
      [{ shortcut: 'a', title: 'x', body: 'y' }, 'shortcut:'],
      [{ shortcut: 'ok-1', title: '   ', body: 'y' }, 'title: el título es obligatorio'],
      [{ shortcut: 'ok-1', title: 'x'.repeat(121), body: 'y' }, 'title:'],
      [{ shortcut: 'ok-1', title: 'x', body: 'y'.repeat(4001) }, 'body: el texto admite hasta 4000'],
      [{ shortcut: 'ok-1', title: 'x' }, 'body: campo requerido / required field'],
    ];
    for (const [body, message] of cases) {
      const res = await w.api('POST', `/campaigns/${w.campaignId}/canned-responses`, w.tokens.supervisor, body);
      expect(res.statusCode, message).toBe(400);
      expect(res.json().error.code).toBe('HUB_ERR_VALIDATION');
      expect(res.json().error.message).toContain(message);
      expect(res.json().error.message).toContain(' / ');
    }
  });

  it('a duplicate shortcut in the campaign is 409; the same shortcut in another campaign is fine', async () => {
    const dup = await w.api('POST', `/campaigns/${w.campaignId}/canned-responses`, w.tokens.admin, { shortcut: 'saludo', title: 'Otro', body: 'Otro' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toContain('«saludo»');
    const other = await w.api('POST', `/campaigns/${w.otherCampaignId}/canned-responses`, w.tokens.outsider, { shortcut: 'saludo', title: 'Saludo', body: 'Buen día' });
    expect(other.statusCode).toBe(201);
  });

  it('only admins and supervisors of the campaign write; staff of another campaign cannot even read', async () => {
    const body = { shortcut: 'nuevo', title: 'Nuevo', body: 'Texto' };
    for (const token of [w.tokens.agent, w.tokens.trainer, w.tokens.auditor]) {
      const res = await w.api('POST', `/campaigns/${w.campaignId}/canned-responses`, token, body);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('HUB_ERR_FORBIDDEN_ROLE');
    }
    expect((await w.api('POST', `/campaigns/${w.campaignId}/canned-responses`, w.tokens.outsider, body)).json().error.code).toBe('HUB_ERR_FORBIDDEN_CAMPAIGN');
    expect((await w.api('GET', `/campaigns/${w.campaignId}/canned-responses`, w.tokens.outsiderAgent)).statusCode).toBe(403);
    expect((await w.api('GET', `/campaigns/${randomUUID()}/canned-responses`, w.tokens.admin)).statusCode).toBe(404);
  });

  it('PUT replaces it (same rules, audited); DELETE removes it (204) and it is gone', async () => {
    const created = (await w.api('POST', `/campaigns/${w.campaignId}/canned-responses`, w.tokens.supervisor, { shortcut: 'temporal', title: 'Temporal', body: 'Texto' })).json();
    const url = `/canned-responses/${created.id}`;
    const replaced = await w.api('PUT', url, w.tokens.supervisor, { shortcut: 'temporal-2', title: 'Temporal 2', body: 'Su folio: {{folio}}', id: created.id });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ id: created.id, shortcut: 'temporal-2', title: 'Temporal 2', body: 'Su folio: {{folio}}' });
    expect(Date.parse(replaced.json().updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.updatedAt));
    expect((await w.api('PUT', url, w.tokens.supervisor, { shortcut: 'saludo', title: 'x', body: 'y' })).statusCode).toBe(409);
    expect((await w.api('PUT', url, w.tokens.supervisor, { shortcut: 'temporal-2', title: 'x', body: '{{agente}}' })).statusCode).toBe(400);
    expect((await w.api('PUT', url, w.tokens.agent, { shortcut: 'temporal-2', title: 'x', body: 'y' })).statusCode).toBe(403);
    expect((await w.api('PUT', url, w.tokens.outsider, { shortcut: 'temporal-2', title: 'x', body: 'y' })).statusCode).toBe(403);
    expect((await w.api('DELETE', url, w.tokens.outsider)).statusCode).toBe(403);
    expect((await w.api('PUT', `/canned-responses/${randomUUID()}`, w.tokens.supervisor, { shortcut: 'abc', title: 'x', body: 'y' })).json().error.code).toBe('HUB_ERR_CANNED_RESPONSE_NOT_FOUND');

    const deleted = await w.api('DELETE', url, w.tokens.supervisor);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await w.api('DELETE', url, w.tokens.supervisor)).statusCode).toBe(404);
    expect(await list(w.tokens.agent, 'temporal')).toEqual([]);
    expect(await w.auditOf(created.id)).toEqual(['canned_response.created', 'canned_response.updated', 'canned_response.deleted']);
  });
});
