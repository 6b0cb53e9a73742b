import { describe, expect, it } from 'vitest';
import { parseBlastList } from '../../../hub/src/voice/blaster/blast-list.js';
import { messageVariables, optionsText, renderMessage } from '../../../hub/src/voice/blaster/blast-message.js';
import { humanTwiml, machineTwiml } from '../../../hub/src/voice/blaster/blast-twiml.js';
import { msUntilWindow, minuteOf, secondOfDay } from '../../../hub/src/voice/blaster/calling-window.js';
import { outcomeOf } from '../../../hub/src/voice/blaster/blast-call-status.js';
import { blastResultsCsv } from '../../../hub/src/voice/blaster/blast-results-csv.js';
import { nextBlastStatus } from '../../../hub/src/voice/blaster/blast-transitions.js';
import { parseTwiml, sayTexts } from '../../harness/twilio-voice/twiml-verbs.js';

/** The blaster's pure pieces: the list, the message, the TwiML, the calling window, status outcomes. */
describe('blaster list', () => {
  it('reads phone,name,data lines without a header and reports bad lines by number in Spanish', () => {
    const list = parseBlastList('5511110001,Ana,1 de diciembre\n\n55 1111 0002,Luis\nhola,Nadie\n,Sin número\n+52 55 1111 0001,Ana otra vez\n', 100);
    expect(list.rows.map((r) => [r.line, r.phone, r.name])).toEqual([
      [1, '+525511110001', 'Ana'],
      [3, '+525511110002', 'Luis'],
    ]);
    expect(list.rows[0]?.variables).toEqual({ dato1: '1 de diciembre' });
    expect(list.problems).toEqual([
      { line: 4, value: 'hola', reason: 'línea 4: «hola» no es un número telefónico válido' },
      { line: 5, value: '', reason: 'línea 5: falta el número telefónico' },
    ]);
    expect(list.duplicates).toEqual([{ line: 6, phone: '+525511110001', firstLine: 1 }]);
  });

  it('a header names the columns: the phone column anywhere, the others as {variables}', () => {
    const list = parseBlastList('Nombre;Fecha;Teléfono\nAna;3 de enero;5522220001\n', 100);
    expect(list.columns).toEqual(['fecha']);
    expect(list.rows).toEqual([{ line: 2, phone: '+525522220001', name: 'Ana', variables: { fecha: '3 de enero' } }]);
  });

  it('a TXT with one number per line; an empty file or too many lines is refused', () => {
    expect(parseBlastList('5533330001\r\n5533330002\r\n', 10).rows.map((r) => r.phone)).toEqual(['+525533330001', '+525533330002']);
    expect(() => parseBlastList('\n \n', 10)).toThrow(/vacía/);
    expect(() => parseBlastList('5533330001\n5533330002\n5533330003\n', 2)).toThrow(/excede 2/);
  });
});

describe('blaster message and TwiML', () => {
  const recipient = { name: 'Ana', phone: '+525511110001', variables: { fecha: '3 de enero' } };

  it('fills {nombre} {fecha} and lists the options in key order', () => {
    expect(renderMessage('Hola {nombre}, su cita es el {fecha}.', recipient)).toBe('Hola Ana, su cita es el 3 de enero.');
    expect(messageVariables('Hola {nombre} {Fecha} {nombre}')).toEqual(['nombre', 'fecha']);
    expect(optionsText({ '2': 'confirm', '1': 'agent' })).toBe('Para hablar con un asesor, oprima 1. Para confirmar, oprima 2.');
  });

  it('a person hears the message and the options in a one-key Gather, twice, then goodbye', () => {
    const verbs = parseTwiml(humanTwiml({ audio_url: null, options: { '1': 'agent', '2': 'confirm' } }, 'Hola Ana.', 'https://hub.example/choice?r=1'));
    expect(verbs.map((v) => v.verb)).toEqual(['Gather', 'Gather', 'Say', 'Hangup']);
    const gather = verbs[0];
    if (gather?.verb !== 'Gather') throw new Error('no Gather');
    expect(gather).toMatchObject({ numDigits: 1, action: 'https://hub.example/choice?r=1', input: ['dtmf'] });
    expect(sayTexts(gather.children)).toEqual(['Hola Ana.', 'Para hablar con un asesor, oprima 1. Para confirmar, oprima 2.']);
    expect(gather.children[0]).toMatchObject({ language: 'es-MX' });
  });

  it('a recorded message is played; a machine gets the message or a plain hang-up per policy', () => {
    const played = parseTwiml(humanTwiml({ audio_url: 'https://cdn.example/aviso.mp3', options: { '2': 'confirm' } }, 'ignored', 'u'));
    expect(played[0]).toMatchObject({ verb: 'Gather', children: [{ verb: 'Play', url: 'https://cdn.example/aviso.mp3' }, { verb: 'Say' }] });
    expect(parseTwiml(machineTwiml({ audio_url: null, machine_policy: 'leave_message' }, 'Hola Ana.')).map((v) => v.verb)).toEqual(['Say', 'Say', 'Hangup']);
    expect(parseTwiml(machineTwiml({ audio_url: null, machine_policy: 'hang_up' }, 'Hola Ana.')).map((v) => v.verb)).toEqual(['Hangup']);
  });
});

describe('blaster calling window (America/Mexico_City)', () => {
  // 2026-01-15 15:00Z = 09:00 in Mexico City (UTC-6, no DST since 2022).
  const at = (iso: string) => new Date(iso);
  const window = { startMinute: minuteOf('09:00') ?? 0, endMinute: minuteOf('20:00') ?? 0 };

  it('is open inside the window and says how long until it opens otherwise', () => {
    expect(secondOfDay(at('2026-01-15T15:00:00Z'))).toBe(9 * 3600);
    expect(msUntilWindow(window, at('2026-01-15T15:00:00Z'))).toBe(0);
    expect(msUntilWindow(window, at('2026-01-16T01:59:59Z'))).toBe(0);
    expect(msUntilWindow(window, at('2026-01-15T14:30:00Z'))).toBe(30 * 60_000);
    // 20:00 local: closed until 09:00 tomorrow (13 h).
    expect(msUntilWindow(window, at('2026-01-16T02:00:00Z'))).toBe(13 * 3600_000);
    expect(msUntilWindow(null, at('2026-01-16T08:00:00Z'))).toBe(0);
    expect(minuteOf('24:00')).toBe(1440);
    expect(minuteOf('9:00')).toBeNull();
  });
});

describe('blaster recipient outcomes', () => {
  it('no-answer and busy retry while attempts remain; a machine and a person are told apart; keys pressed stay', () => {
    expect(outcomeOf('calling', 'no-answer', '', true)).toMatchObject({ status: 'pending' });
    expect(outcomeOf('calling', 'no-answer', '', false)).toMatchObject({ status: 'no_answer' });
    expect(outcomeOf('calling', 'busy', '', false)).toMatchObject({ status: 'busy' });
    expect(outcomeOf('calling', 'failed', '', true)).toMatchObject({ status: 'failed' });
    expect(outcomeOf('calling', 'completed', 'machine_start', true)).toEqual({ status: 'machine' });
    expect(outcomeOf('calling', 'completed', 'human', true)).toEqual({ status: 'answered' });
    expect(outcomeOf('confirmed', 'completed', 'human', true)).toEqual({ status: 'confirmed' });
  });

  it('life cycle: only a draft is scheduled; resume goes back to where it paused', () => {
    expect(nextBlastStatus('schedule', { status: 'draft', started_at: null })).toBe('scheduled');
    expect(nextBlastStatus('schedule', { status: 'running', started_at: new Date() })).toBeNull();
    expect(nextBlastStatus('resume', { status: 'paused', started_at: null })).toBe('scheduled');
    expect(nextBlastStatus('resume', { status: 'paused', started_at: new Date() })).toBe('running');
    expect(nextBlastStatus('cancel', { status: 'completed', started_at: new Date() })).toBeNull();
  });

  it('the results CSV escapes formula-looking cells and names statuses in Spanish', () => {
    const csv = blastResultsCsv([
      { id: 'x', blast_id: 'b', line: 2, phone: '+525511110001', name: '=HYPERLINK("x")', variables: {}, status: 'confirmed', digits: '2', attempts: 1, next_attempt_at: null, call_sid: null, in_call: false, call_started_at: null, last_error: null, created_at: new Date(0), updated_at: new Date(0) },
    ]);
    expect(csv.split('\r\n')[1]).toBe(`2,'+525511110001,"'=HYPERLINK(""x"")",confirmó,2,1,,,1970-01-01T00:00:00.000Z`);
  });
});
