import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { phone, startBlasterHub, type BlasterHub } from './blaster-hub.js';

/**
 * The blaster's admin API (issue 8 item 7) on a live hub: list upload with bad lines reported by
 * line number, bad input refused with nothing written, schedule in the future (nothing called
 * before), the results CSV, and who may do it (agents and other campaigns' supervisors: 403).
 */
describe('voice blaster admin API', () => {
  let h: BlasterHub;

  beforeAll(async () => {
    h = await startBlasterHub();
  });

  afterAll(async () => {
    await h?.cleanup();
  });

  const body = (extra: Record<string, unknown> = {}) => ({ campaignId: h.campaignId, channelId: h.channelId, name: 'Recordatorio', messageText: 'Hola {nombre}, su cita es el {dato1}.', ...extra });

  it('creates a draft with its list: bad lines reported by line number in Spanish, duplicates kept once', async () => {
    const [a, b] = [phone(), phone()];
    const list = [`${a},Ana,3 de enero`, `${b},Luis,4 de enero`, 'no-es-numero,Nadie,5 de enero', `${a},Ana repetida,6 de enero`, ',Sin número'].join('\n');
    const res = await h.api('POST', '/voice/blasts', h.supervisor, { ...body(), list });
    expect(res.status).toBe(201);
    const created = z.object({ blast: z.object({ id: z.uuid(), status: z.string() }), upload: z.looseObject({}) }).parse(await res.json());
    expect(created.blast.status).toBe('draft');
    expect(created.upload).toEqual({
      received: 5,
      added: 2,
      invalid: 2,
      duplicates: 1,
      doNotCall: 0,
      columns: ['dato1'],
      problems: [
        { line: 3, value: 'no-es-numero', reason: 'línea 3: «no-es-numero» no es un número telefónico válido' },
        { line: 5, value: '', reason: 'línea 5: falta el número telefónico' },
      ],
    });
    const rows = await h.recipients(created.blast.id);
    expect(rows.map((r) => [r.line, r.phone, r.status]).sort((x, y) => Number(x[0]) - Number(y[0]))).toEqual([
      [1, a, 'pending'],
      [2, b, 'pending'],
      [3, 'no-es-numero', 'invalid'],
      [5, '(línea 5)', 'invalid'],
    ]);

    // A second upload (raw CSV with a header) replaces the list of the draft.
    const upload = await h.api('POST', `/voice/blasts/${created.blast.id}/recipients?replace=true`, h.supervisor, `telefono,nombre,fecha\n${phone()},Eva,7 de enero\n12,Raúl,8 de enero\n`, 'text/csv');
    expect(upload.status).toBe(200);
    expect(await upload.json()).toMatchObject({ received: 2, added: 1, invalid: 1, columns: ['fecha'], problems: [{ line: 3, reason: 'línea 3: «12» no es un número telefónico válido' }] });
    // The message uses {dato1}, which the new list does not have: scheduling says so.
    const schedule = await h.api('POST', `/voice/blasts/${created.blast.id}/schedule`, h.supervisor, {});
    expect(schedule.status).toBe(400);
    expect(await schedule.text()).toContain('{dato1}');
  });

  it('refuses bad input with a clear 4xx and writes nothing', async () => {
    const before = await h.db.selectFrom('voice_blasts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [body({ messageText: undefined }), 400, /mensaje/],
      [body({ options: { '1': 'agent', '2': 'agent' } }), 400, /una sola tecla/],
      [body({ options: { '12': 'confirm' } }), 400, /es una tecla/],
      [body({ window: { start: '21:00', end: '09:00' } }), 400, /anterior/],
      [body({ callsPerMinute: 0 }), 400, /callsPerMinute/],
      [body({ channelId: h.foreignCampaignId }), 400, /canal de voz/],
      [body({ queueId: h.foreignCampaignId }), 400, /fila/],
      [body({ list: 'telefono,telefono\n1,2\n' }), 400, /repetida/],
      [body({ list: '\n\n' }), 400, /vacía/],
    ];
    for (const [input, status, message] of cases) {
      const res = await h.api('POST', '/voice/blasts', h.supervisor, input);
      expect(res.status, JSON.stringify(input)).toBe(status);
      expect(await res.text()).toMatch(message);
    }
    const after = await h.db.selectFrom('voice_blasts').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('a blast scheduled for later places no call before its time; pause and cancel move it, nothing else', async () => {
    const number = phone();
    const res = await h.api('POST', '/voice/blasts', h.supervisor, { ...body({ messageText: 'Aviso para {nombre}.' }), window: null, list: `${number},Ana` });
    const id = z.object({ blast: z.object({ id: z.uuid() }) }).parse(await res.json()).blast.id;
    const startAt = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await h.api('POST', `/voice/blasts/${id}/schedule`, h.supervisor, { startAt });
    expect(scheduled.status).toBe(200);
    expect(await scheduled.json()).toMatchObject({ status: 'scheduled', startAt });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(h.cloud.callsTo(number)).toHaveLength(0);
    expect((await h.view(id)).status).toBe('scheduled');

    expect((await h.api('POST', `/voice/blasts/${id}/schedule`, h.supervisor, {})).status).toBe(409);
    expect(await (await h.api('POST', `/voice/blasts/${id}/pause`, h.supervisor)).json()).toMatchObject({ status: 'paused' });
    expect(await (await h.api('POST', `/voice/blasts/${id}/resume`, h.supervisor)).json()).toMatchObject({ status: 'scheduled' });
    expect(await (await h.api('POST', `/voice/blasts/${id}/cancel`, h.supervisor)).json()).toMatchObject({ status: 'cancelled' });
    expect((await h.api('POST', `/voice/blasts/${id}/resume`, h.supervisor)).status).toBe(409);
    // Moved its start into the past: a cancelled blast still calls nobody.
    await h.db.updateTable('voice_blasts').set({ start_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(h.cloud.callsTo(number)).toHaveLength(0);

    const audit = await h.db.selectFrom('audit_log').select('action').where('target_id', '=', id).orderBy('occurred_at').execute();
    expect(audit.map((a) => a.action)).toEqual(['voice_blast.created', 'voice_blast.scheduled', 'voice_blast.paused', 'voice_blast.resumed', 'voice_blast.cancelled']);
  });

  it('only admins and supervisors of the campaign: agents 403, another campaign 403, unknown blast 404', async () => {
    const res = await h.api('POST', '/voice/blasts', h.supervisor, { ...body({ messageText: 'Aviso.' }), list: phone() });
    const id = z.object({ blast: z.object({ id: z.uuid() }) }).parse(await res.json()).blast.id;
    const routes: [string, string, unknown?][] = [
      ['GET', `/voice/blasts?campaignId=${h.campaignId}`],
      ['GET', `/voice/blasts/${id}`],
      ['GET', `/voice/blasts/${id}/recipients`],
      ['GET', `/voice/blasts/${id}/summary`],
      ['GET', `/voice/blasts/${id}/results.csv`],
      ['POST', `/voice/blasts/${id}/schedule`, {}],
      ['POST', `/voice/blasts/${id}/pause`],
      ['POST', `/voice/blasts/${id}/cancel`],
      ['POST', '/voice/blasts', { ...body({ messageText: 'Aviso.' }) }],
    ];
    for (const [method, path, payload] of routes) {
      const agent = await h.api(method, path, h.agent, payload);
      expect(agent.status, `agent ${method} ${path}`).toBe(403);
      expect(await agent.json()).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN_ROLE' } });
      const foreign = await h.api(method, path, h.foreignSupervisor, payload);
      expect(foreign.status, `foreign ${method} ${path}`).toBe(403);
      expect(await foreign.json()).toMatchObject({ error: { code: 'HUB_ERR_FORBIDDEN_CAMPAIGN' } });
    }
    expect((await h.api('GET', `/voice/blasts/${id}`, h.admin)).status).toBe(200);
    expect((await h.api('GET', `/voice/blasts/00000000-0000-4000-8000-000000000000`, h.supervisor)).status).toBe(404);
    // Nothing moved: still a draft.
    expect((await h.view(id)).status).toBe('draft');
  });

  it('lists the campaign’s blasts with their summary counts', async () => {
    const res = await h.api('GET', `/voice/blasts?campaignId=${h.campaignId}`, h.supervisor);
    expect(res.status).toBe(200);
    const items = z.object({ items: z.array(z.looseObject({ name: z.string(), summary: z.looseObject({ total: z.number() }) })) }).parse(await res.json()).items;
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.map((i) => i.name)).toContain('Recordatorio');
    expect(items.every((i) => i.summary.total >= 1)).toBe(true);
  });
});
