import { describe, expect, it } from 'vitest';
import { fileAccepted, isEmail, isPhone, prechatProblem } from './field-rules.js';
import { createWidgetI18n } from './widget-i18n.js';

describe('widget field rules', () => {
  it('accepts ordinary e-mail addresses and refuses obvious typos', () => {
    expect(isEmail('maria.hdz@correo.gob.mx')).toBe(true);
    expect(isEmail('maria@correo')).toBe(false);
    expect(isEmail('maria correo@x.mx')).toBe(false);
  });

  it('accepts a 10-digit Mexican mobile with or without +52 and separators', () => {
    expect(isPhone('55 1234 5678')).toBe(true);
    expect(isPhone('+52 (55) 1234-5678')).toBe(true);
    expect(isPhone('1234')).toBe(false);
    expect(isPhone('55-ABCD-5678')).toBe(false);
  });

  it('matches files by MIME type, family or extension', () => {
    const pdf = { name: 'Constancia.PDF', type: 'application/pdf' };
    const png = { name: 'foto.png', type: 'image/png' };
    const exe = { name: 'setup.exe', type: 'application/x-msdownload' };
    expect(fileAccepted(pdf, ['application/pdf'])).toBe(true);
    expect(fileAccepted(png, ['image/*'])).toBe(true);
    expect(fileAccepted(pdf, ['.pdf'])).toBe(true);
    expect(fileAccepted(exe, ['image/*', 'application/pdf', '.pdf'])).toBe(false);
    expect(fileAccepted(exe, [])).toBe(true);
  });

  it('explains what is wrong with a pre-chat value, in the visitor’s language', () => {
    const { t } = createWidgetI18n('es-MX');
    expect(prechatProblem('name', '', true, t)).toBe('Este dato es obligatorio.');
    expect(prechatProblem('topic', '', true, t)).toBe('Seleccione un tema.');
    expect(prechatProblem('phone', '', false, t)).toBeNull();
    expect(prechatProblem('email', 'maria@correo', true, t)).toMatch(/^Escriba un correo válido/);
    expect(prechatProblem('name', 'x'.repeat(201), true, t)).toBe('Es demasiado largo (máximo 200 caracteres).');
    expect(prechatProblem('phone', '55 1234 5678', false, createWidgetI18n('en').t)).toBeNull();
    expect(prechatProblem('phone', '1234', false, createWidgetI18n('en').t)).toMatch(/^Enter a 10-digit phone/);
  });
});
