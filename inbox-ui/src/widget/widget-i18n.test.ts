import { describe, expect, it } from 'vitest';
import { createWidgetI18n, normaliseLocale } from './widget-i18n.js';
import { widgetEn } from './widget-messages.en.js';
import { widgetEsMX, type WidgetMessageKey } from './widget-messages.es-mx.js';

const isKey = (key: string): key is WidgetMessageKey => key in widgetEsMX;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('widget texts', () => {
  it('English has every Spanish key, with the same placeholders', () => {
    expect(Object.keys(widgetEn).sort()).toEqual(Object.keys(widgetEsMX).sort());
    for (const key of Object.keys(widgetEsMX).filter(isKey)) expect(placeholders(widgetEn[key]), key).toEqual(placeholders(widgetEsMX[key]));
  });

  it('speaks Spanish by default and fills in values', () => {
    const { t } = createWidgetI18n('es-MX');
    expect(t('queue.position', { position: 3 })).toBe('Lugar en la fila: 3');
    expect(t('chat.typing', { name: 'Ana Martínez' })).toBe('Ana Martínez está escribiendo…');
    expect(createWidgetI18n('en').t('queue.position', { position: 3 })).toBe('Place in line: 3');
  });

  it('keeps the side of a hub error that matches the locale', () => {
    const message = 'El archivo es demasiado grande / The file is too large';
    expect(createWidgetI18n('es-MX').hubText(message)).toBe('El archivo es demasiado grande');
    expect(createWidgetI18n('en').hubText(message)).toBe('The file is too large');
  });

  it('reads the locale a page writes in data-locale', () => {
    expect(normaliseLocale('en-US')).toBe('en');
    expect(normaliseLocale('ES')).toBe('es-MX');
    expect(normaliseLocale('fr')).toBeNull();
    expect(normaliseLocale(undefined)).toBeNull();
  });

  it('writes file sizes a person reads', () => {
    const { fileSize } = createWidgetI18n('es-MX');
    expect(fileSize(512)).toBe('512 B');
    expect(fileSize(10 * 1024 * 1024)).toBe('10 MB');
  });
});
