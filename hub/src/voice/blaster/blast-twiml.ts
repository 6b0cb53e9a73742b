import twilio from 'twilio';
import type { VoiceBlast, VoiceBlastAction } from '../../db/schema.js';
import { CHOICE_REPLIES, optionsText } from './blast-message.js';

/** The TwiML of a blaster call, built with twilio's VoiceResponse (issue 8 item 1). */
const SAY = { language: 'es-MX' } as const;

type Response = InstanceType<typeof twilio.twiml.VoiceResponse>;

function speak(target: { say: Response['say']; play: Response['play'] }, blast: Pick<VoiceBlast, 'audio_url'>, text: string): void {
  if (blast.audio_url) target.play(blast.audio_url);
  else target.say(SAY, text);
}

/**
 * A person answered: the message and the options inside a one-key Gather, twice (the message is
 * repeated once when no key comes), then goodbye. Without options: the message, once, and goodbye.
 */
export function humanTwiml(blast: Pick<VoiceBlast, 'audio_url'> & { options: Record<string, VoiceBlastAction> }, message: string, choiceUrl: string): string {
  const response = new twilio.twiml.VoiceResponse();
  const options = optionsText(blast.options);
  if (options === '') {
    speak(response, blast, message);
    response.say(SAY, CHOICE_REPLIES.machineEnd);
    response.hangup();
    return response.toString();
  }
  for (let round = 0; round < 2; round += 1) {
    const gather = response.gather({ input: ['dtmf'], numDigits: 1, timeout: 5, action: choiceUrl, method: 'POST', actionOnEmptyResult: false });
    speak(gather, blast, message);
    gather.say(SAY, options);
  }
  response.say(SAY, CHOICE_REPLIES.noKey);
  response.hangup();
  return response.toString();
}

/** An answering machine: the message for the mailbox, or nothing at all (policy). */
export function machineTwiml(blast: Pick<VoiceBlast, 'audio_url' | 'machine_policy'>, message: string): string {
  const response = new twilio.twiml.VoiceResponse();
  if (blast.machine_policy === 'leave_message') {
    speak(response, blast, message);
    response.say(SAY, CHOICE_REPLIES.machineEnd);
  }
  response.hangup();
  return response.toString();
}

export function sayAndHangUp(text: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(SAY, text);
  response.hangup();
  return response.toString();
}

/** `<Enqueue>` exactly as the core plugin's applyStep answers a queue outcome. */
export function enqueueTwiml(queueName: string, waitUrl: string, afterUrl: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(SAY, 'En un momento le atiende un asesor.');
  response.enqueue({ waitUrl, waitUrlMethod: 'POST', action: afterUrl, method: 'POST' }, queueName);
  return response.toString();
}
