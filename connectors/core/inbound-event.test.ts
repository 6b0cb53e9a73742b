import { describe, expect, it } from 'vitest';
import { inboundEventSchema } from './inbound-event.js';

describe('contact_left in the normalised inbound event', () => {
  const base = { type: 'contact_left', providerEventId: 'e-1', occurredAt: '2026-11-26T10:21:30-06:00' } as const;

  it('accepts a contact identified by phone, email or external id, with or without a reason', () => {
    expect(inboundEventSchema.safeParse({ ...base, contact: { phone: '+525512345678' }, reason: 'closed_widget' }).success).toBe(true);
    expect(inboundEventSchema.safeParse({ ...base, contact: { email: 'ana@example.mx' } }).success).toBe(true);
    expect(inboundEventSchema.safeParse({ ...base, contact: { externalId: 'kiosk-7' } }).success).toBe(true);
  });

  it('refuses a contact nobody could look up (a name alone), so a job cannot carry one', () => {
    const parsed = inboundEventSchema.safeParse({ ...base, contact: { name: 'Ana' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain('phone, email or externalId');
  });
});
