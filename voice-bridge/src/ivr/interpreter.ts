/**
 * Runs an IVR tree one Twilio webhook at a time (issue 8 item 2). A step runs every node that needs
 * no answer (say, privacy, hours, folio_status) until one waits for the caller (menu, capture) or
 * ends the IVR (queue, transfer, dial, hang-up), all into one TwiML response. Pure apart from the
 * context's calendar and folio look-up: the state goes back to the caller to store.
 */
import { z } from 'zod';
import type { IvrContext, IvrInput, IvrInterpreter, IvrOutcome, IvrState, IvrStepResult } from './ivr.contract.js';
import type { IvrNode, IvrPrompt, IvrTree } from './ivr.schema.js';
import { chooseMenuOption, fillPlaceholders, isEmptyInput, readCapture, spellForSpeech, type CaptureNode, type MenuNode } from './ivr-input.js';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { isTwilioVoice, IvrTwiml } from './ivr-twiml.js';
import { ivrTreeReferenceProblems } from './validate-ivr-tree.js';

/** Seed L1531: once the caller has heard the same information twice, the call is cut. */
const MAX_HEARINGS = 2;
/** Nodes run in one step; only a cycle of `hours` nodes (no prompt, no wait) could reach it. */
const MAX_NODES_PER_STEP = 50;
/** The path is a screen pop for the agent, not a log: a caller looping a menu must not grow it forever. */
const MAX_PATH = 100;

const DEFAULT_INVALID: IvrPrompt = { text: 'No le entendí.' };
const RESTART: IvrPrompt = { text: 'Disculpe, tuvimos un problema con su llamada. Volvamos a empezar.' };
const TECHNICAL_PROBLEM: IvrPrompt = { text: 'Disculpe, tenemos un problema técnico. Le comunicamos con un asesor.' };
const FOLIO_LOOKUP_FAILED: IvrPrompt = { text: 'En este momento no podemos consultar su folio. Intente más tarde, por favor.' };
const GOODBYE_NO_INPUT: IvrPrompt = { text: 'No recibimos respuesta. Gracias por llamar; hasta luego.' };
const GOODBYE_INVALID: IvrPrompt = { text: 'No recibimos una opción válida. Gracias por llamar; hasta luego.' };
const LOOP_GOODBYE: IvrPrompt = { text: 'Disculpe, no podemos atender su llamada en este momento. Hasta luego.' };
/** The closed campaign's only option when the channel says so (the recording's own prompt follows). */
const CLOSED_VOICEMAIL: IvrPrompt = { text: 'En este momento estamos fuera del horario de atención. Puede dejarnos un mensaje de voz y le daremos seguimiento.' };

/** The state comes back from storage as JSON; a malformed one starts the call over rather than throwing. */
const storedStateSchema = z.object({
  node: z.string(),
  attempts: z.number().int().min(0),
  collected: z.record(z.string(), z.string()),
  heard: z.record(z.string(), z.number().int().min(0)),
  path: z.array(z.object({ node: z.string(), input: z.string().optional() })),
});

/** The tree's <Say> language and voice, for TwiML written outside the interpreter (the hub's voicemail and call-back routes). */
export function ivrSayAttributes(tree: IvrTree): VoiceResponse.SayAttributes {
  return isTwilioVoice(tree.voice) ? { language: tree.language, voice: tree.voice } : { language: tree.language };
}

function freshState(tree: IvrTree): IvrState {
  return { node: tree.start, attempts: 0, collected: {}, heard: {}, path: [] };
}

/** One webhook's work: the state being advanced and the TwiML being written. */
class Step {
  readonly twiml: IvrTwiml;

  constructor(
    readonly tree: IvrTree,
    readonly state: IvrState,
    readonly context: IvrContext,
  ) {
    this.twiml = new IvrTwiml(tree);
  }

  result(outcome: IvrOutcome): IvrStepResult {
    return { twiml: this.twiml.toString(), state: this.state, outcome };
  }

  visit(node: string, input?: string): void {
    this.state.path.push(input === undefined ? { node } : { node, input });
    if (this.state.path.length > MAX_PATH) this.state.path.splice(0, this.state.path.length - MAX_PATH);
  }

  /** Counts one more hearing of an informational node; false when this would be the third. */
  hear(node: string): boolean {
    const heard = this.state.heard[node] ?? 0;
    if (heard >= MAX_HEARINGS) return false;
    this.state.heard[node] = heard + 1;
    return true;
  }

  hangup(reason: Extract<IvrOutcome, { type: 'hangup' }>['reason'], prompt?: IvrPrompt): IvrStepResult {
    if (prompt) this.twiml.prompt(prompt);
    this.twiml.hangup();
    return this.result({ type: 'hangup', reason });
  }

  /** Plays `nodeId` and the nodes after it until one waits for the caller or ends the IVR. */
  async runFrom(nodeId: string): Promise<IvrStepResult> {
    let current = nodeId;
    for (let ran = 0; ran < MAX_NODES_PER_STEP; ran++) {
      const node = this.tree.nodes[current];
      if (node === undefined) return this.hangup('completed', LOOP_GOODBYE); // excluded by the reference check
      this.state.node = current;
      this.state.attempts = 0;
      const next = await this.runNode(current, node);
      if (typeof next !== 'string') return next;
      current = next;
    }
    return this.hangup('completed', LOOP_GOODBYE);
  }

  /** Runs one node: the id of the node that follows, or the step's result when it waits or ends. */
  private async runNode(id: string, node: IvrNode): Promise<string | IvrStepResult> {
    switch (node.type) {
      case 'say':
      case 'privacy': {
        if (!this.hear(id)) return this.hangup('repeated_information', this.tree.repeatedGoodbye);
        this.visit(id);
        this.twiml.prompt(node.prompt);
        return node.next ?? this.hangup('completed');
      }
      case 'folio_status': {
        if (!this.hear(id)) return this.hangup('repeated_information', this.tree.repeatedGoodbye);
        this.visit(id);
        this.twiml.prompt(await this.folioPrompt(node));
        return node.next ?? this.hangup('completed');
      }
      case 'hours': {
        const now = this.context.now;
        const branch = this.context.isHoliday(now) ? 'holiday' : this.context.isOpen(now) ? 'open' : 'closed';
        this.visit(id, branch);
        if (branch !== 'open' && this.context.voicemailWhenClosed === true) {
          this.twiml.prompt(CLOSED_VOICEMAIL);
          return this.result({ type: 'voicemail', outsideHours: true });
        }
        return branch === 'holiday' ? (node.holiday ?? node.closed) : branch === 'open' ? node.open : node.closed;
      }
      case 'menu':
        this.twiml.menu(node, this.context.actionUrl(id));
        return this.result({ type: 'continue' });
      case 'capture':
        this.twiml.capture(node, this.context.actionUrl(id));
        return this.result({ type: 'continue' });
      case 'queue': {
        this.visit(id);
        if (node.prompt) this.twiml.prompt(node.prompt);
        // The HTTP layer appends the <Enqueue>: which Twilio queue a router queue maps to is its business.
        return this.result({
          type: 'queue',
          ...(node.queueId === undefined ? {} : { queueId: node.queueId }),
          ...(node.skill === undefined ? {} : { skill: node.skill }),
          collected: { ...this.state.collected },
          path: [...this.state.path],
        });
      }
      case 'transfer_campaign':
        this.visit(id);
        if (node.prompt) this.twiml.prompt(node.prompt);
        return this.result({ type: 'transfer_campaign', campaignId: node.campaignId, collected: { ...this.state.collected } });
      case 'dial':
        this.visit(id);
        if (node.prompt) this.twiml.prompt(node.prompt);
        this.twiml.dial(node.number);
        return this.result({ type: 'dial', number: node.number });
      case 'hangup':
        this.visit(id);
        return this.hangup('completed', node.prompt);
      case 'voicemail':
        this.visit(id);
        if (node.prompt) this.twiml.prompt(node.prompt);
        // The HTTP layer redirects to the recording: where recordings go is the hub's business.
        return this.result({ type: 'voicemail' });
      case 'callback': {
        this.visit(id);
        if (node.prompt) this.twiml.prompt(node.prompt);
        const phone = node.phoneField === undefined ? undefined : this.state.collected[node.phoneField];
        return this.result(phone === undefined ? { type: 'callback' } : { type: 'callback', phone });
      }
    }
  }

  private async folioPrompt(node: Extract<IvrNode, { type: 'folio_status' }>): Promise<IvrPrompt> {
    const folio = this.state.collected[node.field];
    if (folio === undefined) return node.notFound;
    let status: string | null;
    try {
      status = await this.context.folioStatus(folio);
    } catch {
      // A look-up that fails is not «folio not found»: telling the caller so would be false.
      return FOLIO_LOOKUP_FAILED;
    }
    const prompt = status === null ? node.notFound : node.found;
    if (!('text' in prompt)) return prompt;
    return { text: fillPlaceholders(prompt.text, { status: status ?? '', folio: spellForSpeech(folio) }) };
  }

  /** The caller's answer to a menu: the chosen option's node, or the menu again / its failure path. */
  async answerMenu(id: string, node: MenuNode, input: IvrInput): Promise<IvrStepResult> {
    const option = chooseMenuOption(node, input);
    if (option) {
      this.visit(id, option.digit);
      return this.runFrom(option.next);
    }
    return this.retry(id, node, input, node.invalid ?? DEFAULT_INVALID, () => this.twiml.menu(node, this.context.actionUrl(id)));
  }

  async answerCapture(id: string, node: CaptureNode, input: IvrInput): Promise<IvrStepResult> {
    const reading = readCapture(node, input, this.context, this.context.now);
    if (reading.ok) {
      this.state.collected[node.field] = reading.value;
      // The value itself stays in `collected`; the path only says the step was passed.
      this.visit(id);
      return this.runFrom(node.next);
    }
    return this.retry(id, node, input, node.invalid, () => this.twiml.capture(node, this.context.actionUrl(id)));
  }

  /** A wrong or missing answer: once more with the `invalid` prompt, or — after maxAttempts — onFail / goodbye. */
  private async retry(id: string, node: MenuNode | CaptureNode, input: IvrInput, invalid: IvrPrompt, askAgain: () => void): Promise<IvrStepResult> {
    const empty = isEmptyInput(input);
    this.state.node = id;
    this.state.attempts += 1;
    if (this.state.attempts < node.maxAttempts) {
      this.twiml.prompt(invalid);
      askAgain();
      return this.result({ type: 'continue' });
    }
    this.visit(id, empty ? 'sin respuesta' : 'respuesta no válida');
    if (node.onFail !== undefined) return this.runFrom(node.onFail);
    return empty ? this.hangup('no_input', GOODBYE_NO_INPUT) : this.hangup('invalid', GOODBYE_INVALID);
  }
}

export function createIvrInterpreter(tree: IvrTree): IvrInterpreter {
  // A dangling reference is the tree author's error: refuse it once here rather than mid-call.
  const problems = ivrTreeReferenceProblems(tree);
  if (problems.length > 0) {
    throw new Error(`IVR tree «${tree.name}» is invalid: ${problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ')}`);
  }

  /** A context callback that throws (calendar, look-up) must not leave the caller in silence: an agent takes over. */
  async function guarded(state: IvrState, context: IvrContext, work: () => Promise<IvrStepResult>): Promise<IvrStepResult> {
    try {
      return await work();
    } catch {
      const step = new Step(tree, state, context);
      step.twiml.prompt(TECHNICAL_PROBLEM);
      return step.result({ type: 'queue', collected: { ...state.collected }, path: [...state.path] });
    }
  }

  return {
    tree,
    async start(context) {
      const state = freshState(tree);
      return guarded(state, context, () => new Step(tree, state, context).runFrom(tree.start));
    },
    async answer(stored, input, context) {
      const parsed = storedStateSchema.safeParse(stored);
      const node = parsed.success ? tree.nodes[parsed.data.node] : undefined;
      if (!parsed.success || node === undefined) {
        const state = freshState(tree);
        return guarded(state, context, () => {
          const step = new Step(tree, state, context);
          step.twiml.prompt(RESTART);
          return step.runFrom(tree.start);
        });
      }
      const state: IvrState = parsed.data;
      const id = state.node;
      return guarded(state, context, () => {
        const step = new Step(tree, state, context);
        if (node.type === 'menu') return step.answerMenu(id, node, input);
        if (node.type === 'capture') return step.answerCapture(id, node, input);
        // Stored at a node that does not wait (a repeated webhook): carry on from it.
        return step.runFrom(id);
      });
    },
  };
}
