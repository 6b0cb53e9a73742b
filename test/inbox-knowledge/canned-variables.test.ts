import { describe, expect, it } from 'vitest';
import { CANNED_VARIABLES, cannedVariablesIn, renderCannedResponse } from '../../hub/src/inbox/canned-variables.js';

describe('canned response variables (shared with the inbox UI)', () => {
  it('lists the variables the UI fills', () => {
    expect(CANNED_VARIABLES).toEqual(expect.arrayContaining(['contact.name', 'folio', 'agent.name', 'campaign.name']));
  });

  it('renders every known variable, tolerating spaces inside the braces', () => {
    const body = 'Hola {{contact.name}}, soy {{ agent.name }} de {{campaign.name}}. Su folio es {{folio}}.';
    const text = renderCannedResponse(body, { 'contact.name': 'María López', 'agent.name': 'Ana', 'campaign.name': 'Derechohabientes', folio: 'DH-20261126-000123' });
    expect(text).toBe('Hola María López, soy Ana de Derechohabientes. Su folio es DH-20261126-000123.');
  });

  it('takes a first name from the full name unless given', () => {
    expect(renderCannedResponse('Hola {{contact.firstName}}', { 'contact.name': '  José Luis Pérez ' })).toBe('Hola José');
    expect(renderCannedResponse('Hola {{contact.firstName}}', { 'contact.name': 'José Luis Pérez', 'contact.firstName': 'Pepe' })).toBe('Hola Pepe');
    expect(renderCannedResponse('Soy {{agent.firstName}}', { 'agent.name': 'Ana Martínez' })).toBe('Soy Ana');
  });

  it('leaves a variable without a value, and unknown placeholders, visible for the agent to fix', () => {
    expect(renderCannedResponse('Hola {{contact.name}}, folio {{folio}}', { folio: '  ' })).toBe('Hola {{contact.name}}, folio {{folio}}');
    expect(renderCannedResponse('{{contact.nombre}} y {{folio}}', { folio: 'CO-1' })).toBe('{{contact.nombre}} y CO-1');
  });

  it('does not expand placeholders inside the values it inserts', () => {
    expect(renderCannedResponse('{{contact.name}} / {{folio}}', { 'contact.name': '{{folio}}', folio: 'X' })).toBe('{{folio}} / X');
  });

  it('splits the variables of a body into known and unknown, once each, and flags unclosed braces', () => {
    expect(cannedVariablesIn('{{folio}} {{folio}} {{ contact.name }} {{usuario}} {{usuario}}')).toEqual({ known: ['folio', 'contact.name'], unknown: ['usuario'], unclosed: false });
    expect(cannedVariablesIn('Sin variables')).toEqual({ known: [], unknown: [], unclosed: false });
    expect(cannedVariablesIn('Hola {{contact.name')).toMatchObject({ unclosed: true });
    expect(cannedVariablesIn('Hola }} adiós')).toMatchObject({ unclosed: true });
    expect(cannedVariablesIn('{{}}')).toEqual({ known: [], unknown: [''], unclosed: false });
  });
});
