import type { ContactRef } from '@ventanilla/connectors/core';
import type { IdentityKind } from '../db/schema.js';
import { normalizeEmail, normalizePhone } from '../contacts/identity-normalize.js';

export interface IdentityKey {
  kind: IdentityKind;
  value: string;
  channel_id: string | null;
}

/**
 * The identities a provider gave us, most trusted first. A phone or email that does not
 * normalise is kept as a channel-scoped external id rather than dropped or rejected.
 */
export function identityKeys(ref: ContactRef, channelId: string): IdentityKey[] {
  const keys: IdentityKey[] = [];
  if (ref.phone) {
    const phone = normalizePhone(ref.phone);
    keys.push(phone ? { kind: 'phone', value: phone, channel_id: null } : { kind: 'external', value: `phone:${ref.phone.trim()}`, channel_id: channelId });
  }
  if (ref.email) {
    const email = normalizeEmail(ref.email);
    keys.push(email ? { kind: 'email', value: email, channel_id: null } : { kind: 'external', value: `email:${ref.email.trim()}`, channel_id: channelId });
  }
  if (ref.externalId) keys.push({ kind: 'external', value: ref.externalId, channel_id: channelId });
  return keys;
}
