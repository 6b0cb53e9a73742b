import { describe, expect, it } from 'vitest';
import { renderCannedResponse } from '../../../hub/src/inbox/canned-variables.js';
import type { CannedResponse } from '../api/api-types.js';
import { insertAt, searchCanned, slashQuery } from './canned-search.js';

const canned = (shortcut: string, title: string, body: string): CannedResponse => ({ id: shortcut, campaignId: 'c', shortcut, title, body, updatedAt: '' });
const items = [canned('saludo', 'Saludo inicial', 'Hola {{contact.firstName}}, soy {{agent.name}} de {{campaign.name}}.'), canned('folio', 'Su folio', 'Su número de folio es {{folio}}.'), canned('cita', 'Cita médica', 'Para agendar su cita ingrese al portal.')];

describe('canned responses in the composer', () => {
  it('opens on "/" at the start of a word and reads the query up to the caret', () => {
    expect(slashQuery('/sal', 4)).toEqual({ start: 0, query: 'sal' });
    expect(slashQuery('Buen día /fo', 12)).toEqual({ start: 9, query: 'fo' });
    expect(slashQuery('http://x', 8)).toBeNull();
    expect(slashQuery('1/2', 3)).toBeNull();
  });

  it('finds by shortcut prefix first, then by title or body without accents', () => {
    expect(searchCanned(items, 'fo').map((c) => c.shortcut)).toEqual(['folio']);
    expect(searchCanned(items, 'medica').map((c) => c.shortcut)).toEqual(['cita']);
    expect(searchCanned(items, '')).toHaveLength(3);
  });

  it('replaces "/query" with the response, variables filled, and leaves unknown values visible', () => {
    const body = renderCannedResponse(items[0]!.body, { 'contact.name': 'María Guadalupe Hernández', 'agent.name': 'Ana Martínez', 'campaign.name': 'Derechohabientes', folio: 'DH-1' });
    expect(body).toBe('Hola María, soy Ana Martínez de Derechohabientes.');
    expect(insertAt('Buen día /sal', 9, 13, body)).toEqual({ value: `Buen día ${body}`, caret: 9 + body.length });
    expect(renderCannedResponse('Hola {{contact.name}}', { 'contact.name': null })).toBe('Hola {{contact.name}}');
  });
});
