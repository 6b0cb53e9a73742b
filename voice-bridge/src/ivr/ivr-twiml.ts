/**
 * The TwiML of one IVR step, built with twilio's own VoiceResponse (it escapes text and knows the
 * verbs' attributes). One step may run several nodes, so everything goes into one response.
 */
import twilio from 'twilio';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { IvrPrompt, IvrTree } from './ivr.schema.js';
import type { CaptureNode, MenuNode } from './ivr-input.js';

type SayVoice = NonNullable<VoiceResponse.SayAttributes['voice']>;

/**
 * twilio types the voice as a closed list of ~900 names, which the tree (plain JSON edited by an
 * admin) cannot be checked against at compile time; these prefixes are the families Twilio accepts
 * for <Say>. Anything else is left out, so Twilio's default voice speaks instead of the call failing.
 */
export function isTwilioVoice(voice: string): voice is SayVoice {
  return /^(?:man|woman|alice|Polly\.[A-Za-zÀ-ÿ]+(?:-[A-Za-z]+)?|Google\.[a-z]{2,3}-[A-Z]{2}-[A-Za-z0-9-]+)$/.test(voice);
}

/** Both the response and a <Gather> accept <Say>/<Play> children. */
interface PromptTarget {
  say(attributes: VoiceResponse.SayAttributes, message: string): unknown;
  play(attributes: VoiceResponse.PlayAttributes, url: string): unknown;
}

/** Seconds of silence before a capture's <Gather> gives up: keying 11 digits takes longer than one. */
const CAPTURE_TIMEOUT_SECONDS = 10;

export class IvrTwiml {
  private readonly response = new twilio.twiml.VoiceResponse();
  private readonly sayAttributes: VoiceResponse.SayAttributes;

  constructor(private readonly tree: IvrTree) {
    this.sayAttributes = isTwilioVoice(tree.voice) ? { language: tree.language, voice: tree.voice } : { language: tree.language };
  }

  prompt(prompt: IvrPrompt, target: PromptTarget = this.response): void {
    if ('text' in prompt) target.say(this.sayAttributes, prompt.text);
    else target.play({}, prompt.audioUrl);
  }

  /** A menu waiting for one key (or words): the prompt inside the <Gather>, then a <Redirect> for silence. */
  menu(node: MenuNode, action: string): void {
    const hints = node.options.flatMap((option) => option.speech ?? []);
    const gather = this.response.gather({
      input: node.speech ? ['dtmf', 'speech'] : ['dtmf'],
      action,
      method: 'POST',
      timeout: node.timeoutSeconds,
      numDigits: 1,
      language: this.tree.language,
      ...(node.speech ? { speechTimeout: 'auto' } : {}),
      ...(node.speech && hints.length > 0 ? { hints: hints.join(', ') } : {}),
    });
    this.prompt(node.prompt, gather);
    this.redirect(action);
  }

  /** A capture: keys for NSS (11), dates (8, DDMMAAAA) and digits (a count, or until #); speech for a CURP. */
  capture(node: CaptureNode, action: string): void {
    const common = { action, method: 'POST', timeout: CAPTURE_TIMEOUT_SECONDS, language: this.tree.language };
    const gather =
      node.kind === 'curp'
        ? this.response.gather({ ...common, input: ['speech'], speechTimeout: 'auto' })
        : this.response.gather({
            ...common,
            input: ['dtmf'],
            ...(node.kind === 'nss' ? { numDigits: 11 } : {}),
            ...(node.kind === 'date' ? { numDigits: 8 } : {}),
            ...(node.kind === 'digits' ? (node.numDigits === undefined ? { finishOnKey: '#' } : { numDigits: node.numDigits }) : {}),
          });
    this.prompt(node.prompt, gather);
    this.redirect(action);
  }

  /** After a silent <Gather> Twilio runs the next verb: come back to the same node with empty input. */
  private redirect(action: string): void {
    this.response.redirect({ method: 'POST' }, action);
  }

  dial(number: string): void {
    this.response.dial(number);
  }

  hangup(): void {
    this.response.hangup();
  }

  toString(): string {
    return this.response.toString();
  }
}
