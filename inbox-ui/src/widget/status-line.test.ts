import type { WidgetSessionState } from '@ventanilla/hub/widget-contract';
import { describe, expect, it } from 'vitest';
import { createWidgetI18n } from './widget-i18n.js';
import { statusLine } from './status-line.js';

type Conversation = NonNullable<WidgetSessionState['conversation']>;
const base: Conversation = { folio: 'DHE-1', status: 'waiting', queue: null, agent: null, closedAt: null, survey: { due: false, done: false } };
const { t } = createWidgetI18n('es-MX');

describe('the widget status line', () => {
  it('says the place in line and the estimated wait, in minutes rounded up', () => {
    expect(statusLine({ ...base, queue: { position: 3, estimatedWaitSeconds: 230 } }, t)).toBe('Lugar en la fila: 3 · Espera estimada: 4 min');
    expect(statusLine({ ...base, queue: { position: 1, estimatedWaitSeconds: 20 } }, t)).toBe('Lugar en la fila: 1 · Espera estimada: menos de 1 min');
  });

  it('says only what is known, and still says the visitor waits when nothing is', () => {
    expect(statusLine({ ...base, queue: { position: 2, estimatedWaitSeconds: null } }, t)).toBe('Lugar en la fila: 2');
    expect(statusLine({ ...base, queue: null }, t)).toBe('En espera de un agente…');
  });

  it('names the agent who joined, and says when it ended', () => {
    expect(statusLine({ ...base, status: 'with_agent', agent: { displayName: 'Ana Martínez' } }, t)).toBe('Le atiende Ana Martínez.');
    expect(statusLine({ ...base, status: 'ended' }, t)).toBe('La conversación terminó.');
    expect(statusLine(null, t)).toBe('');
  });

  it('speaks English when asked', () => {
    expect(statusLine({ ...base, queue: { position: 3, estimatedWaitSeconds: 240 } }, createWidgetI18n('en').t)).toBe('Place in line: 3 · Estimated wait: 4 min');
  });
});
