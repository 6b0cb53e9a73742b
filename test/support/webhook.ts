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

export interface CitizenLeft {
  id: string;
  phone?: string;
  email?: string;
  externalId?: string;
  reason?: string;
  /** ISO-8601 with offset; defaults to now. */
  timestamp?: string;
}

/** The API channel's end-of-session event (`"type":"end"`): the citizen closed the widget / left. */
export function endBody(e: CitizenLeft): string {
  const from: Record<string, string> = {};
  if (e.phone) from['phone'] = e.phone;
  if (e.email) from['email'] = e.email;
  if (e.externalId) from['externalId'] = e.externalId;
  return JSON.stringify({
    type: 'end',
    id: e.id,
    timestamp: e.timestamp ?? new Date().toISOString(),
    from,
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
  });
}
