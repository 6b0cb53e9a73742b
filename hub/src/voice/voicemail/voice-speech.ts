import twilio from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';

/**
 * What the caller hears from the voicemail and call-back routes (es-MX). Folios and numbers are
 * read out character by character: «DH-20261126-000042» as a word would be unintelligible.
 */
export function spellFolio(folio: string): string {
  return folio
    .split('-')
    .map((part) => part.split('').join(' '))
    .join(', guion, ');
}

/** A Mexican number read in its usual groups (55 1234 5678), digit by digit; others whole. */
export function spellPhone(e164: string): string {
  const digits = e164.replace(/^\+52/, '').replace(/\D/g, '');
  const groups = digits.length === 10 ? [digits.slice(0, 2), digits.slice(2, 6), digits.slice(6)] : [digits];
  return groups.map((group) => group.split('').join(' ')).join(', ');
}

/** `{{name}}` placeholders of a tree's prompt text. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

export const VOICEMAIL_PROMPT = 'Deje su mensaje después del tono. Al terminar, marque la tecla de gato o cuelgue.';
export const VOICEMAIL_EMPTY = 'No recibimos su mensaje. Gracias por llamar; hasta luego.';

/** The recording: prompt, <Record> (beep, # ends, the action and the recording callback), then goodbye when nothing was recorded. */
export function recordTwiml(say: VoiceResponse.SayAttributes, options: { maxSeconds: number; doneUrl: string; recordingUrl: string; intro?: string }): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(say, options.intro ? `${options.intro} ${VOICEMAIL_PROMPT}` : VOICEMAIL_PROMPT);
  response.record({
    maxLength: options.maxSeconds,
    finishOnKey: '#',
    playBeep: true,
    timeout: 5,
    action: options.doneUrl,
    method: 'POST',
    recordingStatusCallback: options.recordingUrl,
    recordingStatusCallbackMethod: 'POST',
    recordingStatusCallbackEvent: ['completed'],
  });
  // Twilio goes on with the next verb only when nothing was recorded.
  response.say(say, VOICEMAIL_EMPTY);
  response.hangup();
  return response.toString();
}

/** Words, then hang up. */
export function sayAndHangup(say: VoiceResponse.SayAttributes, text: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(say, text);
  response.hangup();
  return response.toString();
}

export function voicemailThanks(folio: string): string {
  return `Recibimos su mensaje. Su folio es ${spellFolio(folio)}. Un asesor le dará seguimiento. Gracias por llamar; hasta luego.`;
}

export function callbackConfirmation(phone: string, folio: string): string {
  return `Le llamaremos al número ${spellPhone(phone)}. Su folio es ${spellFolio(folio)}. Gracias por llamar; hasta luego.`;
}
