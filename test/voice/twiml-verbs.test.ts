import { describe, expect, it } from 'vitest';
import { parseTwiml, sayTexts } from '../harness/twilio-voice/index.js';

describe('the harness reads TwiML as Twilio does', () => {
  it('keeps verb order, attributes, nested Gather children and unescapes text', () => {
    const verbs = parseTwiml(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say language="es-MX" voice="Polly.Mia">Hola &amp; bienvenido</Say>' +
        '<Gather input="dtmf speech" numDigits="1" timeout="6" action="/a?x=1&amp;y=2"><Say>Marque 1</Say><Play>https://m/x.mp3</Play></Gather>' +
        '<Redirect method="POST">/a</Redirect><Dial><Number>+5215512345678</Number></Dial><Enqueue waitUrl="/w">cola</Enqueue><Leave/><Hangup/></Response>',
    );
    expect(verbs).toEqual([
      { verb: 'Say', text: 'Hola & bienvenido', language: 'es-MX', voice: 'Polly.Mia' },
      {
        verb: 'Gather',
        input: ['dtmf', 'speech'],
        numDigits: 1,
        timeout: 6,
        action: '/a?x=1&y=2',
        actionOnEmptyResult: false,
        children: [
          { verb: 'Say', text: 'Marque 1' },
          { verb: 'Play', url: 'https://m/x.mp3' },
        ],
      },
      { verb: 'Redirect', url: '/a', method: 'POST' },
      { verb: 'Dial', number: '+5215512345678' },
      { verb: 'Enqueue', queue: 'cola', waitUrl: '/w' },
      { verb: 'Leave' },
      { verb: 'Hangup' },
    ]);
    expect(sayTexts(verbs)).toEqual(['Hola & bienvenido', 'Marque 1']);
  });

  it('refuses a document that is not TwiML', () => {
    expect(() => parseTwiml('<html><body>error</body></html>')).toThrow(/not a TwiML/);
  });
});
