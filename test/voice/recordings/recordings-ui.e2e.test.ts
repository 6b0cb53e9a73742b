import { readFile } from 'node:fs/promises';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureInboxBuilt, launchChromium, openStaffPage, screenshot, seriousViolations } from '../../e2e/e2e-support.js';
import { tokenFor } from '../../support/auth.js';
import { createUser } from '../../support/factories.js';
import { setAgentSkills } from '../../support/router-factories.js';
import { startVoiceHub, waitFor, type VoiceHub } from '../core/voice-hub-harness.js';
import { agentVoiceSetup, eventOf, queuedCaller, type AgentVoiceSetup } from '../agent/agent-hub.js';

/**
 * Recordings in the inbox, in Chromium: the call panel lists the call's recording with «Escuchar»
 * (an <audio controls> fed by the hub's recording route) and «Descargar»; a voicemail's audio in
 * the conversation thread plays the same way. The browser never sees Twilio's URL or credentials.
 */
describe('recordings in the inbox', () => {
  let h: VoiceHub;
  let s: AgentVoiceSetup;
  let browser: Browser;
  let page: Page;
  const agent = { id: '', email: '', password: 'Contrasena-Segura-2026', token: '' };
  const twilioRequests: string[] = [];

  beforeAll(async () => {
    ensureInboxBuilt();
    h = await startVoiceHub();
    s = await agentVoiceSetup(h);
    const user = await createUser(h.db, { roles: ['agent'], campaignIds: [s.c.campaignId], password: agent.password, name: 'Lucía Ramírez' });
    agent.id = user.id;
    agent.email = user.email;
    agent.token = await tokenFor(h.db, user.id);
    await setAgentSkills(h.db, user.id, { [s.c.skills.citas]: 1, [s.c.skills.general]: 1 });
    browser = await launchChromium();
    page = await openStaffPage(browser, h.url, agent, undefined, { acceptDownloads: true });
    page.on('request', (r) => {
      if (r.url().startsWith(s.cloud.url)) twilioRequests.push(r.url());
    });
    await page.getByRole('combobox', { name: 'Mi estado' }).waitFor();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.cloud.close();
    await h?.cleanup();
  });

  async function media(recordingSid: string): Promise<Buffer> {
    const res = await fetch(`${s.cloud.url}/2010-04-01/Accounts/${s.c.accountSid}/Recordings/${recordingSid}.mp3`, {
      headers: { authorization: `Basic ${Buffer.from(`${s.c.accountSid}:${s.c.authToken}`).toString('base64')}` },
    });
    return Buffer.from(await res.arrayBuffer());
  }

  /** The bytes behind an <audio>'s blob: URL, read in the page. */
  async function audioBytes(audio: Locator): Promise<{ src: string; bytes: number[] }> {
    return audio.evaluate(async (el) => {
      const src = (el as HTMLAudioElement).src;
      const buffer = await (await fetch(src)).arrayBuffer();
      return { src, bytes: Array.from(new Uint8Array(buffer)) };
    });
  }

  let conversationId = '';

  it('the call panel: after the call, «Escuchar» plays the recording through the hub and «Descargar» saves it', async () => {
    await page.getByRole('combobox', { name: 'Mi estado' }).selectOption('available');
    const call = await queuedCaller(h, s, '+525544450001');
    conversationId = call.conversationId;
    await page.getByRole('region', { name: 'Oferta entrante' }).getByRole('button', { name: 'Aceptar' }).click({ timeout: 15_000 });
    const started = await eventOf(h, call.caller.callSid, 'recording_started');
    const recordingSid = String(started['recordingSid']);
    const panel = page.getByRole('region', { name: `Llamada · ${call.folio}` });
    await panel.getByText('Grabando…').waitFor({ timeout: 15_000 });
    await panel.getByRole('button', { name: 'Colgar' }).click();
    await s.cloud.hangUp(call.caller.callSid).catch(() => undefined);
    await eventOf(h, call.caller.callSid, 'recording_ready');

    const listen = panel.getByRole('button', { name: new RegExp(`^Escuchar la grabación ${call.folio}`) });
    await listen.waitFor({ timeout: 15_000 });
    await listen.click();
    const audio = panel.locator(`audio[data-recording-sid="${recordingSid}"]`);
    await audio.waitFor();
    expect(await audio.getAttribute('controls')).not.toBeNull();
    const played = await audioBytes(audio);
    expect(played.src).toMatch(/^blob:/);
    expect(Buffer.from(played.bytes).equals(await media(recordingSid))).toBe(true);
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await screenshot(page, 'voice-recording-player');

    const downloading = page.waitForEvent('download');
    await panel.getByRole('button', { name: new RegExp(`^Descargar la grabación ${call.folio}`) }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`grabacion-${call.folio}-${recordingSid}.mp3`);
    expect((await readFile(await download.path())).equals(await media(recordingSid))).toBe(true);

    const plays = await h.db.selectFrom('audit_log').select(['actor_user_id', 'details']).where('action', '=', 'voice_recording.played').where('target_id', '=', recordingSid).orderBy('id').execute();
    expect(plays.map((p) => [p.actor_user_id, (p.details as Record<string, unknown>)['download']])).toEqual([
      [agent.id, false],
      [agent.id, true],
    ]);
    expect(twilioRequests).toEqual([]);
  }, 90_000);

  it('a voicemail in the thread: its audio plays through the hub', async () => {
    const resolved = await h.api('POST', `/conversations/${conversationId}/resolve`, agent.token, { summary: 'Cita agendada' });
    expect(resolved.status).toBe(200);
    // Back from the call's wrap-up to taking work.
    expect((await h.api('PUT', '/agents/me/state', agent.token, { state: 'available' })).status).toBe(200);
    const caller = await s.c.dial('+525544450002');
    await caller.press('0');
    s.cloud.inbound(caller);
    await s.cloud.rewait(caller.callSid);
    await s.cloud.press(caller.callSid, '1');
    const voicemail = await waitFor('the voicemail', () => h.db.selectFrom('voice_voicemails').selectAll().where('call_sid', '=', caller.callSid).executeTakeFirst());

    await page.getByRole('region', { name: 'Oferta entrante' }).getByRole('button', { name: 'Aceptar' }).click({ timeout: 20_000 });
    const filename = `mensaje-de-voz-${voicemail.recording_sid}.mp3`;
    const listen = page.getByRole('button', { name: `Escuchar la grabación ${filename}` });
    await listen.waitFor({ timeout: 15_000 });
    await listen.click();
    const audio = page.locator(`audio[data-recording-sid="${voicemail.recording_sid}"]`);
    await audio.waitFor();
    const played = await audioBytes(audio);
    expect(played.src).toMatch(/^blob:/);
    expect(Buffer.from(played.bytes).equals(await media(voicemail.recording_sid))).toBe(true);
    expect(await page.locator(`a[href*="${s.cloud.url}"]`).count()).toBe(0);
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    expect(twilioRequests).toEqual([]);
  }, 90_000);
});
