import { describe, expect, it } from 'vitest';
import { fillPlaceholders, spellForSpeech, spokenToCharacters } from './ivr-input.js';
import { isTwilioVoice } from './ivr-twiml.js';

describe('ivr-input helpers', () => {
  it('spells a folio for text-to-speech, dashes as «guion»', () => {
    expect(spellForSpeech('DH-20260115-000042')).toBe('D H guion 2 0 2 6 0 1 1 5 guion 0 0 0 0 4 2');
  });

  it('fills {{status}} and {{folio}}; an unknown placeholder is dropped rather than read as braces', () => {
    expect(fillPlaceholders('Folio {{folio}}: {{ status }}.{{otro}}', { folio: '1 2', status: 'concluido' })).toBe('Folio 1 2: concluido.');
  });

  it('turns a spoken code into characters: letters, digits and Spanish number words', () => {
    expect(spokenToCharacters('g o d e, cinco 6 - nueve')).toBe('GODE569');
  });

  it('knows Twilio voice families and refuses made-up names', () => {
    expect(['Polly.Mia', 'Polly.Mia-Neural', 'Google.es-US-Standard-A', 'alice'].every(isTwilioVoice)).toBe(true);
    expect(['Robotina', 'Polly.', 'polly.mia'].some(isTwilioVoice)).toBe(false);
  });
});
