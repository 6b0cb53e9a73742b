import { signBody } from '@ventanilla/connectors/core';
import type { PreparedPost } from '../ingest/http-load.js';

/**
 * Signed API-channel webhook posts (the payload of connectors/api), one per citizen: post i
 * comes from its own phone number, so it opens a new conversation the router must place.
 * The text ends with a marker `[rdb <phase> <i>]` the observer uses to match what it sees.
 */
export function marker(phase: string, index: number): string {
  return `[rdb ${phase} ${index}]`;
}
export const MARKER = /\[rdb (\w+) (\d+)\]$/;

const TEXTS = [
  'Buenas tardes, quiero saber el estado de mi trámite',
  'Hola, necesito una cita en la clínica familiar',
  '¿Qué documentos necesito para el alta de mi beneficiario?',
  'No puedo descargar mi constancia',
];

export function citizenPosts(input: { channelId: string; secret: string; phase: string; count: number; firstCitizen: number; runId: string }): PreparedPost[] {
  const path = `/webhooks/api/${input.channelId}`;
  return Array.from({ length: input.count }, (_, i) => {
    const digits = String(20_000_000 + input.firstCitizen + i).slice(-8);
    const body = JSON.stringify({
      type: 'message',
      id: `rdb-${input.runId}-${input.phase}-${i}`,
      timestamp: new Date().toISOString(),
      from: { phone: `55 ${digits.slice(0, 4)} ${digits.slice(4)}`, name: `Ciudadana ${input.firstCitizen + i}` },
      content: { type: 'text', text: `${TEXTS[i % TEXTS.length]} ${marker(input.phase, i)}` },
    });
    return { path, body: Buffer.from(body), headers: { 'content-type': 'application/json', 'x-ventanilla-signature': signBody(input.secret, body) } };
  });
}
