import twilio from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { VoiceSurveyQuestion } from './voice-survey-settings.schema.js';

/** TwiML of the post-call keypad survey: one <Gather> per question, a goodbye at the end. */

export const SURVEY_NOT_OFFERED_TEXT = 'Gracias por comunicarse con nosotros. Hasta luego.';
export const SURVEY_INVALID_KEY_TEXT = 'La opción que marcó no es válida.';

type SayVoice = NonNullable<VoiceResponse.SayAttributes['voice']>;
type SayLanguage = NonNullable<VoiceResponse.SayAttributes['language']>;

/** The IVR's voice when Twilio knows it (as the voice bridge's own prompts do), else Twilio's default for the language. */
function isSayVoice(voice: string): voice is SayVoice {
  return /^(?:man|woman|alice|Polly\.[A-Za-zÀ-ÿ]+(?:-[A-Za-z]+)?|Google\.[a-z]{2,3}-[A-Z]{2}-[A-Za-z0-9-]+)$/.test(voice);
}

export function surveySayAttributes(tree: { language: SayLanguage; voice: string }): VoiceResponse.SayAttributes {
  return isSayVoice(tree.voice) ? { language: tree.language, voice: tree.voice } : { language: tree.language };
}

export interface QuestionTwimlInput {
  say: VoiceResponse.SayAttributes;
  question: Pick<VoiceSurveyQuestion, 'text'>;
  /** Where the key goes; a silence (timeout) is posted there too, without Digits, and skips the question. */
  answerUrl: string;
  /** Said first: the survey's intro, or why the question is asked again. */
  before?: string | undefined;
}

export function questionTwiml(input: QuestionTwimlInput): string {
  const response = new twilio.twiml.VoiceResponse();
  if (input.before) response.say(input.say, input.before);
  const gather = response.gather({ input: ['dtmf'], numDigits: 1, timeout: 5, action: input.answerUrl, method: 'POST' });
  gather.say(input.say, input.question.text);
  // No key within 5 s: Twilio carries on with the next verb, which reports the silence.
  response.redirect({ method: 'POST' }, input.answerUrl);
  return response.toString();
}

export function goodbyeTwiml(say: VoiceResponse.SayAttributes, text: string): string {
  const response = new twilio.twiml.VoiceResponse();
  response.say(say, text);
  response.hangup();
  return response.toString();
}
