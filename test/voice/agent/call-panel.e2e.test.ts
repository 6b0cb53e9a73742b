import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ensureInboxBuilt, launchChromium, openStaffPage, screenshot, seriousViolations } from '../../e2e/e2e-support.js';
import { createUser } from '../../support/factories.js';
import { setAgentSkills } from '../../support/router-factories.js';
import { startVoiceHub, waitFor, type VoiceHub } from '../core/voice-hub-harness.js';
import { agentVoiceSetup, eventOf, NSS, queuedCaller, type AgentVoiceSetup } from './agent-hub.js';

/**
 * The call panel in the inbox (issue 8 item 4), in Chromium: an agent takes a phone call and sees
 * the screen pop (number, IVR choices, NSS masked) next to the conversation, holds and resumes from
 * the keyboard, and hangs up; the hub's call events follow the clicks.
 */
describe('call panel in the browser', () => {
  let h: VoiceHub;
  let s: AgentVoiceSetup;
  let browser: Browser;
  let page: Page;
  const agent = { id: '', email: '', password: 'Contrasena-Segura-2026' };

  beforeAll(async () => {
    ensureInboxBuilt();
    h = await startVoiceHub();
    s = await agentVoiceSetup(h, { recording: false });
    const user = await createUser(h.db, { roles: ['agent'], campaignIds: [s.c.campaignId], password: agent.password, name: 'Lucía Ramírez' });
    agent.id = user.id;
    agent.email = user.email;
    await setAgentSkills(h.db, user.id, { [s.c.skills.citas]: 1, [s.c.skills.general]: 1 });
    browser = await launchChromium();
    page = await openStaffPage(browser, h.url, agent);
    await page.getByRole('combobox', { name: 'Mi estado' }).waitFor();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await s?.cloud.close();
    await h?.cleanup();
  });

  it('the agent accepts a call: the panel shows the caller, the IVR choices and the masked NSS; hold, resume and hang up work from the keyboard', async () => {
    await page.getByRole('combobox', { name: 'Mi estado' }).selectOption('available');
    const { caller, conversationId, folio } = await queuedCaller(h, s, '+525544440001');
    const offers = page.getByRole('region', { name: 'Oferta entrante' });
    await offers.getByRole('button', { name: 'Aceptar' }).click({ timeout: 15_000 });
    await eventOf(h, caller.callSid, 'agent_connected', (p) => p['agentId'] === agent.id);

    const panel = page.getByRole('region', { name: `Llamada · ${folio}` });
    await panel.waitFor({ timeout: 15_000 });
    await panel.getByText('+525544440001').waitFor();
    await panel.getByText('En conversación', { exact: true }).waitFor({ timeout: 10_000 });
    await panel.getByText(`•••••••${NSS.slice(-4)}`).waitFor();
    expect(await panel.getByText(NSS, { exact: true }).count()).toBe(0);
    expect(await panel.getByRole('listitem').filter({ hasText: 'marcó 1' }).count()).toBeGreaterThan(0);
    const violations = await seriousViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await screenshot(page, 'voice-call-panel');

    const hold = panel.getByRole('button', { name: 'Poner en espera' });
    await hold.focus();
    await page.keyboard.press('Enter');
    await eventOf(h, caller.callSid, 'hold', (p) => p['agentId'] === agent.id);
    await panel.getByRole('button', { name: 'Retomar' }).waitFor();
    await panel.getByRole('button', { name: 'Retomar' }).click();
    await eventOf(h, caller.callSid, 'unhold', (p) => p['agentId'] === agent.id);

    await panel.getByRole('button', { name: 'Colgar' }).click();
    await eventOf(h, caller.callSid, 'agent_left', (p) => p['agentId'] === agent.id && p['reason'] === 'hangup');
    await waitFor('the caller at the survey', async () => s.cloud.webhooks.some((w) => w.callSid === caller.callSid && w.url.endsWith('/survey/start')));
    await panel.getByText('Terminada', { exact: true }).waitFor({ timeout: 10_000 });
    const row = await h.db.selectFrom('conversations').select(['status', 'assignee_id']).where('id', '=', conversationId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'assigned', assignee_id: agent.id });
  }, 90_000);
});
