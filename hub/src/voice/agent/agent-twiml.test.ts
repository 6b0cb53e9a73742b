import { XMLParser } from 'fast-xml-parser';
import { voiceWebhookUrls } from '@ventanilla/voice-bridge';
import { describe, expect, it } from 'vitest';
import { citizenConferenceTwiml, holdMusicTwiml } from './agent-twiml.js';

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
const urls = voiceWebhookUrls('https://ventanilla.example.gob.mx/', '7d0c1b5e-0000-4000-8000-000000000001');

describe('agent leg TwiML', () => {
  it('the citizen joins the conference waiting on our music, ends it on hanging up, then goes on to the survey', () => {
    const doc = parser.parse(citizenConferenceTwiml({ conferenceName: 'ventanilla-abc', urls, say: 'Le comunicamos con un asesor.' })) as {
      Response: { Say: { '#text': string; language: string }; Dial: { action: string; method: string; Conference: Record<string, string> } };
    };
    expect(doc.Response.Say).toMatchObject({ '#text': 'Le comunicamos con un asesor.', language: 'es-MX' });
    expect(doc.Response.Dial.action).toBe('https://ventanilla.example.gob.mx/webhooks/voice/7d0c1b5e-0000-4000-8000-000000000001/survey/start');
    expect(doc.Response.Dial.Conference).toMatchObject({
      '#text': 'ventanilla-abc',
      startConferenceOnEnter: 'false',
      endConferenceOnExit: 'true',
      waitUrl: 'https://ventanilla.example.gob.mx/webhooks/voice/7d0c1b5e-0000-4000-8000-000000000001/agent/hold-music',
      waitMethod: 'POST',
      statusCallback: 'https://ventanilla.example.gob.mx/webhooks/voice/7d0c1b5e-0000-4000-8000-000000000001/agent/conference-status',
      statusCallbackEvent: 'start end join leave hold',
    });
  });

  it('hold music loops the configured file', () => {
    const doc = parser.parse(holdMusicTwiml('https://musica.example/espera.mp3')) as { Response: { Play: { '#text': string; loop: string } } };
    expect(doc.Response.Play).toEqual({ '#text': 'https://musica.example/espera.mp3', loop: '0' });
  });
});
