import { describe, expect, it } from 'vitest';
import { apiErrorFrom, localizedMessage } from './api-error.js';

describe('hub errors', () => {
  it('shows the side of "es / en" messages for the current language, part by part', () => {
    const message = 'Usuario o contraseña incorrectos / wrong email or password';
    expect(localizedMessage(message, 'es-MX')).toBe('Usuario o contraseña incorrectos');
    expect(localizedMessage(message, 'en')).toBe('wrong email or password');
    const problems = 'overflow.0: ciclo / cycle; priority: fuera de rango / out of range';
    expect(localizedMessage(problems, 'en')).toBe('cycle; out of range');
    expect(localizedMessage('sin traducción', 'en')).toBe('sin traducción');
  });

  it('reads code, message and request id from the error body', async () => {
    const response = Response.json({ error: { code: 'HUB_ERR_OFFER_EXPIRED', message: 'La oferta ya no está vigente / the offer is no longer open', requestId: 'r1' } }, { status: 409 });
    await expect(apiErrorFrom(response)).resolves.toMatchObject({ status: 409, code: 'HUB_ERR_OFFER_EXPIRED', requestId: 'r1' });
    await expect(apiErrorFrom(new Response('<html>', { status: 502 }))).resolves.toMatchObject({ status: 502, code: 'HUB_ERR_UNAVAILABLE' });
  });
});
