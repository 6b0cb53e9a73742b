import { describe, expect, it } from 'vitest';
import { DEFAULT_HOLD_MUSIC_URL, waitAnnouncementText, waitTwiml } from './wait-announcement.js';

describe('waitAnnouncementText', () => {
  it('says the place in line and the wait in whole minutes, rounded up', () => {
    expect(waitAnnouncementText({ position: 4, estimatedWaitSeconds: 150 })).toBe(
      'Usted es la persona número 4 en la fila. El tiempo estimado de espera es de 3 minutos.',
    );
  });

  it('the next in line hears so; one minute is singular and never zero', () => {
    expect(waitAnnouncementText({ position: 1, estimatedWaitSeconds: 0 })).toBe(
      'Usted es la siguiente persona en ser atendida. El tiempo estimado de espera es de 1 minuto.',
    );
  });

  it('without an estimate there is no time sentence', () => {
    expect(waitAnnouncementText({ position: 7, estimatedWaitSeconds: null })).toBe('Usted es la persona número 7 en la fila.');
  });
});

describe('waitTwiml', () => {
  it('announces, then offers voicemail or call-back over the hold music inside one <Gather>', () => {
    const xml = waitTwiml({
      info: { position: 2, estimatedWaitSeconds: 60 },
      tree: { language: 'es-MX', voice: 'Polly.Mia' },
      holdMusicUrl: DEFAULT_HOLD_MUSIC_URL,
      choiceUrl: 'https://hub.example/webhooks/voice/c1/wait-choice',
    });
    expect(xml).toContain('<Say language="es-MX" voice="Polly.Mia">Usted es la persona número 2 en la fila.');
    expect(xml).toMatch(/<Gather input="dtmf" numDigits="1" timeout="2" action="https:\/\/hub.example\/webhooks\/voice\/c1\/wait-choice" method="POST"><Say[^>]*>Para dejar un mensaje de voz, marque 1; para que le devolvamos la llamada, marque 2.<\/Say><Play>http/);
  });
});
