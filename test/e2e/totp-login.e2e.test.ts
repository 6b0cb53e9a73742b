import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { base32Decode } from '../../hub/src/auth/totp/base32.js';
import { totpCode } from '../../hub/src/auth/totp/totp.js';
import { createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';
import { ensureInboxBuilt, launchChromium, openStaffPage, screenshot } from './e2e-support.js';

/**
 * TOTP in Chromium (issue 12 part 3): an agent turns on two-step verification from «Seguridad»
 * (QR, first code, recovery codes), logs out, and the login then asks for the 6-digit code.
 */
describe('two-step verification in the inbox', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let browser: Browser;
  let page: Page;
  const email = 'toño.totp@example.mx';
  const password = 'Clave-Segura-2026';

  beforeAll(async () => {
    ensureInboxBuilt();
    hub = await startHubProcess(config);
    await createUser(hub.ctx.db.kysely, { roles: ['agent'], email, password, name: 'Toño Agente' });
    browser = await launchChromium();
    page = await openStaffPage(browser, hub.url!, { email, password });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('enrols from «Seguridad» and then needs the code to log in; a wrong code is refused in Spanish', async () => {
    await page.getByRole('button', { name: 'Seguridad' }).click({ timeout: 30_000 });
    const dialog = page.getByRole('dialog', { name: 'Seguridad' });
    await dialog.getByText('La verificación en dos pasos no está activa.').waitFor({ timeout: 10_000 });
    await dialog.getByRole('button', { name: 'Configurar' }).click();
    await dialog.getByRole('img', { name: 'Código QR para la aplicación autenticadora' }).waitFor({ timeout: 10_000 });
    const keyText = await dialog.getByText(/capture esta clave:/).textContent();
    const secret = base32Decode(keyText?.split(':').at(-1)?.trim() ?? '');
    expect(secret).toHaveLength(20);
    if (!secret) return;
    await dialog.getByLabel('Código de verificación').fill(totpCode(secret, Date.now()));
    await dialog.getByRole('button', { name: 'Activar' }).click();
    await dialog.getByText('Guarde sus códigos de recuperación').waitFor({ timeout: 10_000 });
    expect(await dialog.locator('ol.recovery-codes li').count()).toBe(10);
    await screenshot(page, 'totp-recovery-codes');
    await dialog.getByRole('button', { name: 'Cerrar', exact: true }).click();

    await page.getByRole('button', { name: 'Cerrar sesión' }).click();
    await page.getByLabel('Correo electrónico').fill(email);
    await page.getByLabel('Contraseña').fill(password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    const code = page.getByLabel('Código de verificación');
    await code.waitFor({ timeout: 10_000 });
    await code.fill(totpCode(secret, Date.now() + 5 * 60_000));
    await page.getByRole('button', { name: 'Verificar' }).click();
    await page.getByRole('alert').getByText('Código de verificación incorrecto o ya usado').waitFor({ timeout: 10_000 });
    // The next step's code: the one used at enrolment cannot be replayed.
    await code.fill(totpCode(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Verificar' }).click();
    await page.getByRole('button', { name: 'Seguridad' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'totp-signed-in');
  }, 120_000);
});
