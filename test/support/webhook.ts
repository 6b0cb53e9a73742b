import { signBody } from '@ventanilla/connectors/core';

export interface CitizenMessage {
  id: string;
  text?: string;
  phone?: string;
  email?: string;
  externalId?: string;
  name?: string;
  content?: Record<string, unknown>;
}

export function messageBody(m: CitizenMessage): string {
  const from: Record<string, string> = {};
  if (m.phone) from['phone'] = m.phone;
  if (m.email) from['email'] = m.email;
  if (m.externalId) from['externalId'] = m.externalId;
  if (m.name) from['name'] = m.name;
  return JSON.stringify({
    type: 'message',
    id: m.id,
    timestamp: new Date().toISOString(),
    from,
    content: m.content ?? { type: 'text', text: m.text ?? 'Hola, quiero información' },
  });
}

export function signedHeaders(secret: string, body: string): Record<string, string> {
  return { 'content-type': 'application/json', 'x-ventanilla-signature': signBody(secret, body) };
}
