import { describe, expect, it } from 'vitest';
import { botModelSchema } from '../model.schema.js';
import { extractEntities, parseEntityValue } from './index.js';
import { breakCheckDigit, testChecks, validCurp, validNss, validRfc } from './test-support/official-id-checks.js';

const model = botModelSchema.parse({
  name: 'prueba',
  intents: [],
  entities: [
    {
      name: 'tramite',
      values: [
        { value: 'efirma', synonyms: { es: ['e.firma', 'firma electrónica', 'FIEL'], en: ['e-signature'] } },
        { value: 'rfc', synonyms: { es: ['registro federal de contribuyentes'], en: [] } },
        { value: 'acta', synonyms: { es: ['acta de nacimiento'], en: ['birth certificate'] } },
      ],
    },
  ],
});
const NSS = validNss('1234567890');
const CURP = validCurp('GODE561231HDFRRN0');
const RFC = validRfc('GODE561231GR');
const now = new Date('2026-11-26T18:00:00Z');

function kinds(text: string): [string, string, boolean][] {
  return extractEntities(text, model, testChecks, { now }).map((e) => [e.type, e.value, e.valid]);
}

describe('official ids', () => {
  it('recognises a valid NSS with or without separators and an invalid one as invalid', () => {
    expect(testChecks.nss(NSS).valid).toBe(true);
    expect(kinds(`mi nss es ${NSS}`)).toEqual([['nss', NSS, true]]);
    const dashed = `${NSS.slice(0, 2)}-${NSS.slice(2, 4)}-${NSS.slice(4, 6)}-${NSS.slice(6, 10)}-${NSS.slice(10)}`;
    expect(kinds(`NSS: ${dashed}.`)).toEqual([['nss', NSS, true]]);
    expect(kinds(`nss ${breakCheckDigit(NSS)}`)).toEqual([['nss', breakCheckDigit(NSS), false]]);
  });

  it('recognises CURP (any case) and RFC, and no RFC inside the CURP', () => {
    expect(kinds(`mi curp es ${CURP.toLowerCase()}`)).toEqual([['curp', CURP, true]]);
    expect(kinds(`curp ${breakCheckDigit(CURP)}`)).toEqual([['curp', breakCheckDigit(CURP), false]]);
    expect(kinds(`clave ${RFC}`)).toEqual([['rfc', RFC, true]]);
    expect(kinds(`clave ${breakCheckDigit(RFC)}`)).toEqual([['rfc', breakCheckDigit(RFC), false]]);
    expect(kinds(`CURP ${CURP} y RFC ${RFC}`)).toEqual([
      ['curp', CURP, true],
      ['tramite', 'rfc', true],
      ['rfc', RFC, true],
    ]);
    const moral = validRfc('ABC010101AB');
    expect(moral).toHaveLength(12);
    expect(kinds(`empresa ${moral.toLowerCase()}`)).toEqual([['rfc', moral, true]]);
    expect(kinds('ABC123')).toEqual([]);
  });
});

describe('folio, number, phone, e-mail', () => {
  it('reads our folio format case-insensitively and uppercases it', () => {
    expect(kinds('¿cómo va el folio dh-20261125-000123?')).toEqual([['folio', 'DH-20261125-000123', true]]);
    expect(kinds('folio SOLIC-20260101-999999')).toEqual([['folio', 'SOLIC-20260101-999999', true]]);
    expect(kinds('folio D-20261125-000123 y ABCDEFG-20261125-000123')).toEqual([]);
  });

  it('reads standalone integers only', () => {
    expect(kinds('2')).toEqual([['number', '2', true]]);
    expect(kinds('la opción 3, por favor')).toEqual([['number', '3', true]]);
    expect(kinds('A12 y 2.5')).toEqual([]);
  });

  it('normalises Mexican phones to E.164 and does not take an NSS for one', () => {
    expect(kinds('mi cel 55 1234 5678')).toEqual([['phone', '+525512345678', true]]);
    expect(kinds('+52 1 55-1234-5678')).toEqual([['phone', '+525512345678', true]]);
    expect(kinds('(33) 1234-5678')).toEqual([['phone', '+523312345678', true]]);
    expect(kinds('tel 5512345678 nss 12345678903')).toEqual([
      ['phone', '+525512345678', true],
      ['nss', '12345678903', testChecks.nss('12345678903').valid],
    ]);
    expect(kinds('123 456')).toEqual([
      ['number', '123', true],
      ['number', '456', true],
    ]);
  });

  it('lowercases e-mail addresses', () => {
    expect(kinds('escríbanme a Juan.Perez+citas@Correo.GOB.mx.')).toEqual([['email', 'juan.perez+citas@correo.gob.mx', true]]);
    expect(kinds('juan@ sin dominio')).toEqual([]);
  });
});

describe('dates', () => {
  it('reads numeric, Spanish and English forms as ISO dates', () => {
    expect(kinds('nací el 15/03/1985')).toEqual([['date', '1985-03-15', true]]);
    expect(kinds('15-03-1985')).toEqual([['date', '1985-03-15', true]]);
    expect(kinds('1985-03-15')).toEqual([['date', '1985-03-15', true]]);
    expect(kinds('el 15 de marzo de 1985')).toEqual([['date', '1985-03-15', true]]);
    expect(kinds('1 de Septiembre del 2001')).toEqual([['date', '2001-09-01', true]]);
    expect(kinds('born March 15, 1985')).toEqual([['date', '1985-03-15', true]]);
    expect(kinds('15 March 1985')).toEqual([['date', '1985-03-15', true]]);
  });

  it('reports no impossible date', () => {
    expect(kinds('31/02/2020')).toEqual([]);
    // Not a date; what is left are two bare numbers.
    expect(kinds('30 de febrero de 2021')).toEqual([
      ['number', '30', true],
      ['number', '2021', true],
    ]);
    expect(kinds('29/02/2024')).toEqual([['date', '2024-02-29', true]]);
  });

  it('reads hoy, mañana, ayer relative to now in Mexico City, but not "la mañana"', () => {
    expect(kinds('hoy')).toEqual([['date', '2026-11-26', true]]);
    expect(kinds('¿Puede ser mañana?')).toEqual([['date', '2026-11-27', true]]);
    expect(kinds('tomorrow please')).toEqual([['date', '2026-11-27', true]]);
    expect(kinds('ayer')).toEqual([['date', '2026-11-25', true]]);
    expect(kinds('pasado mañana')).toEqual([['date', '2026-11-28', true]]);
    expect(kinds('en la mañana')).toEqual([]);
    // 02:00 UTC on the 27th is still the 26th in Mexico City.
    expect(extractEntities('hoy', model, testChecks, { now: new Date('2026-11-27T02:00:00Z') }).map((e) => e.value)).toEqual(['2026-11-26']);
  });
});

describe('custom enum entities', () => {
  it('matches values and synonyms whole-word, ignoring case and accents, longest first', () => {
    expect(kinds('quiero tramitar mi FIRMA ELECTRONICA')).toEqual([['tramite', 'efirma', true]]);
    expect(kinds('necesito mi acta de nacimiento')).toEqual([['tramite', 'acta', true]]);
    expect(kinds('my birth certificate')).toEqual([['tramite', 'acta', true]]);
    expect(kinds('la efirmadora')).toEqual([]);
  });
});

describe('parseEntityValue (collect answers)', () => {
  it('returns the asked kind only, valid first', () => {
    expect(parseEntityValue('nss', `es ${NSS}`, model, testChecks)).toMatchObject({ type: 'nss', value: NSS, valid: true });
    expect(parseEntityValue('nss', `${breakCheckDigit(NSS)}`, model, testChecks)).toMatchObject({ type: 'nss', valid: false });
    expect(parseEntityValue('nss', 'no me lo sé', model, testChecks)).toBeNull();
    expect(parseEntityValue('curp', `${breakCheckDigit(CURP)} perdón, ${CURP}`, model, testChecks)).toMatchObject({ value: CURP, valid: true });
    expect(parseEntityValue('date', 'mañana', model, testChecks, now)).toMatchObject({ value: '2026-11-27' });
    expect(parseEntityValue('number', 'el 15 de marzo', model, testChecks, now)).toBeNull();
    expect(parseEntityValue('number', 'la 2', model, testChecks)).toMatchObject({ value: '2' });
    expect(parseEntityValue('tramite', 'la e.firma', model, testChecks)).toMatchObject({ type: 'tramite', value: 'efirma' });
    expect(parseEntityValue('desconocido', 'algo', model, testChecks)).toBeNull();
  });

  it('accepts names of letters, spaces, apostrophes and hyphens', () => {
    expect(parseEntityValue('name', '  José   Ángel O\'Neill-Pérez ', model, testChecks)).toMatchObject({ value: "José Ángel O'Neill-Pérez" });
    expect(parseEntityValue('name', 'Müller Ñuñez', model, testChecks)).toMatchObject({ value: 'Müller Ñuñez' });
    expect(parseEntityValue('name', 'J', model, testChecks)).toBeNull();
    expect(parseEntityValue('name', 'Juan 23', model, testChecks)).toBeNull();
    expect(parseEntityValue('name', "'-", model, testChecks)).toBeNull();
    expect(parseEntityValue('name', 'a'.repeat(81), model, testChecks)).toBeNull();
  });

  it('accepts free text up to 500 characters', () => {
    expect(parseEntityValue('text', '  se me perdió la tarjeta  ', model, testChecks)).toMatchObject({ value: 'se me perdió la tarjeta' });
    expect(parseEntityValue('text', '   ', model, testChecks)).toBeNull();
    expect(parseEntityValue('text', 'x'.repeat(501), model, testChecks)).toBeNull();
  });
});
