import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { MessageView, NoteView, TimelineItem } from '@ventanilla/hub/realtime-contract';
import type { HubApi } from '../api/hub-api.js';
import { TimelineEntry, type TimelineContext } from './timeline-entry.view.js';

const ctx: TimelineContext = { api: {} as HubApi, me: 'agent-1', channelKind: 'webchat', contactName: 'Rosa', queues: {}, nameOf: () => 'Ana Agente' };
const at = '2026-11-26T10:00:00.000Z';
const render = (item: TimelineItem) => renderToStaticMarkup(createElement(TimelineEntry, { item, ctx }));

function note(overrides: Partial<NoteView>): TimelineItem {
  return { kind: 'note', at, note: { id: 'n1', conversationId: 'c1', authorId: 'agent-1', authorType: 'agent', authorName: 'Ana Agente', text: 'Llamar mañana', createdAt: at, ...overrides } };
}

function message(senderType: MessageView['senderType']): TimelineItem {
  return {
    kind: 'message',
    at,
    message: { id: 'm1', conversationId: 'c1', direction: 'outbound', senderType, senderId: null, contentType: 'text', text: 'Con gusto reviso su folio.', attachments: [], subject: null, status: 'sent', errorCode: null, errorReason: null, createdAt: at },
  };
}

describe('the bot in the agent’s timeline', () => {
  it('shows the bot’s handoff note as the virtual assistant’s summary, styled apart from agents’ notes', () => {
    const html = render(note({ authorId: null, authorType: 'bot', authorName: 'Asistente virtual', text: 'Motivo: consulta_folio\nNSS: 12345678901' }));
    expect(html).toContain('Resumen del asistente virtual');
    expect(html).toContain('note-bot');
    expect(html).toContain('data-author-type="bot"');
    expect(html).toContain('Motivo: consulta_folio\nNSS: 12345678901');
    expect(html).not.toContain('por Asistente virtual');
  });

  it('keeps an agent’s note as it was', () => {
    const html = render(note({}));
    expect(html).toContain('Nota interna — no la ve el ciudadano');
    expect(html).not.toContain('note-bot');
    expect(html).not.toContain('Resumen del asistente virtual');
  });

  it('labels the bot’s messages «Asistente virtual»', () => {
    expect(render(message('bot'))).toContain('<span class="msg-author">Asistente virtual</span>');
    expect(render(message('agent'))).not.toContain('Asistente virtual');
  });
});
