import { describe, expect, it } from 'vitest';
import { renderMessages } from './render.js';
import { splitText } from './split-text.js';

describe('splitText', () => {
  it('keeps a short text whole and drops an empty one', () => {
    expect(splitText('Hola', 10)).toEqual(['Hola']);
    expect(splitText('  \n\n ', 10)).toEqual([]);
  });

  it('packs paragraphs while they fit and splits a long one at words', () => {
    const text = 'Primer párrafo corto.\n\nSegundo párrafo que es bastante más largo que el límite de la prueba.';
    const pieces = splitText(text, 40);
    expect(pieces[0]).toBe('Primer párrafo corto.');
    for (const piece of pieces) expect([...piece].length).toBeLessThanOrEqual(40);
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('cuts only a word longer than the limit', () => {
    expect(splitText('ver https://tramites.example.gob.mx/acta', 12)).toEqual(['ver', 'https://tram', 'ites.example', '.gob.mx/acta']);
  });
});

describe('renderMessages', () => {
  const buttons = [
    { id: 'si', title: 'Sí' },
    { id: 'no', title: 'No' },
  ];

  it('sends reply buttons where the channel has them', () => {
    expect(renderMessages([{ text: '¿Confirmo?', buttons }], { interactive: true, maxButtons: 3, maxTextLength: 1024 }, 'es')).toEqual([
      { type: 'interactive', text: '¿Confirmo?', buttons },
    ]);
  });

  it('numbers the options and writes links as lines in plain text', () => {
    const replies = renderMessages([{ text: 'Elija:', buttons, links: [{ title: 'Portal', url: 'https://example.gob.mx' }] }], { interactive: false, maxButtons: 0, maxTextLength: 1000 }, 'es');
    expect(replies).toEqual([{ type: 'text', text: 'Elija:\n\nPortal: https://example.gob.mx\n\n1. Sí\n2. No' }]);
  });

  it('splits a long text into several messages within maxTextLength, buttons on the last', () => {
    const text = Array.from({ length: 30 }, (_, i) => `Frase ${i}.`).join(' ');
    const replies = renderMessages([{ text, buttons }], { interactive: true, maxButtons: 3, maxTextLength: 60 }, 'en');
    expect(replies.length).toBeGreaterThan(2);
    expect(replies.slice(0, -1).every((r) => r.type === 'text')).toBe(true);
    expect(replies.at(-1)).toMatchObject({ type: 'interactive', buttons });
    for (const reply of replies) expect('text' in reply && [...(reply.text ?? '')].length <= 60).toBe(true);
  });

  it('uses a list in the session language beyond maxButtons', () => {
    const many = ['a', 'b', 'c', 'd'].map((id) => ({ id, title: id.toUpperCase() }));
    const [reply] = renderMessages([{ text: 'Options', buttons: many }], { interactive: true, maxButtons: 3, maxTextLength: 1024 }, 'en');
    expect(reply).toEqual({ type: 'interactive', text: 'Options', list: { button: 'See options', sections: [{ title: 'Options', rows: many }] } });
  });
});
