import { XMLParser } from 'fast-xml-parser';

/** The TwiML verbs a voice webhook may answer with, as the harness reads them. */
export type TwimlVerb =
  | { verb: 'Say'; text: string; language?: string; voice?: string }
  | { verb: 'Play'; url: string; loop?: number }
  | { verb: 'Pause'; length?: number }
  | {
      verb: 'Gather';
      action?: string;
      method?: string;
      input: string[];
      numDigits?: number;
      timeout?: number;
      finishOnKey?: string;
      actionOnEmptyResult: boolean;
      children: TwimlVerb[];
    }
  | { verb: 'Redirect'; url: string; method?: string }
  | { verb: 'Enqueue'; queue: string; waitUrl?: string; waitUrlMethod?: string; action?: string }
  | { verb: 'Dial'; number: string }
  | { verb: 'Hangup' }
  | { verb: 'Leave' }
  | { verb: 'Other'; name: string };

/** fast-xml-parser's `preserveOrder` shape: one key per element, attributes under ':@'. */
type OrderedNode = Record<string, unknown>;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
});

function isNode(value: unknown): value is OrderedNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function elementName(node: OrderedNode): string | null {
  return Object.keys(node).find((key) => key !== ':@') ?? null;
}

function childrenOf(node: OrderedNode, name: string): OrderedNode[] {
  const children = node[name];
  return Array.isArray(children) ? children.filter(isNode) : [];
}

function attributesOf(node: OrderedNode): Record<string, string> {
  const raw = node[':@'];
  const attributes: Record<string, string> = {};
  if (isNode(raw)) for (const [key, value] of Object.entries(raw)) if (typeof value === 'string') attributes[key] = value;
  return attributes;
}

function textOf(node: OrderedNode, name: string): string {
  return childrenOf(node, name)
    .map((child) => (typeof child['#text'] === 'string' ? child['#text'] : ''))
    .join('')
    .trim();
}

function int(value: string | undefined): number | undefined {
  return value === undefined || !/^\d+$/.test(value) ? undefined : Number(value);
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  const result: Partial<Record<K, V>> = {};
  if (value !== undefined) result[key] = value;
  return result;
}

function toVerb(node: OrderedNode): TwimlVerb | null {
  const name = elementName(node);
  if (name === null || name === '#text') return null;
  const a = attributesOf(node);
  switch (name) {
    case 'Say':
      return { verb: 'Say', text: textOf(node, name), ...optional('language', a['language']), ...optional('voice', a['voice']) };
    case 'Play':
      return { verb: 'Play', url: textOf(node, name), ...optional('loop', int(a['loop'])) };
    case 'Pause':
      return { verb: 'Pause', ...optional('length', int(a['length'])) };
    case 'Gather':
      return {
        verb: 'Gather',
        ...optional('action', a['action']),
        ...optional('method', a['method']),
        // Twilio's default input is DTMF only.
        input: (a['input'] ?? 'dtmf').split(/\s+/).filter(Boolean),
        ...optional('numDigits', int(a['numDigits'])),
        ...optional('timeout', int(a['timeout'])),
        ...optional('finishOnKey', a['finishOnKey']),
        actionOnEmptyResult: a['actionOnEmptyResult'] === 'true',
        children: toVerbs(childrenOf(node, name)),
      };
    case 'Redirect':
      return { verb: 'Redirect', url: textOf(node, name), ...optional('method', a['method']) };
    case 'Enqueue':
      return {
        verb: 'Enqueue',
        queue: textOf(node, name),
        ...optional('waitUrl', a['waitUrl']),
        ...optional('waitUrlMethod', a['waitUrlMethod']),
        ...optional('action', a['action']),
      };
    case 'Dial': {
      const number = childrenOf(node, name).find((child) => elementName(child) === 'Number');
      return { verb: 'Dial', number: number ? textOf(number, 'Number') : textOf(node, name) };
    }
    case 'Hangup':
      return { verb: 'Hangup' };
    case 'Leave':
      return { verb: 'Leave' };
    default:
      return { verb: 'Other', name };
  }
}

function toVerbs(nodes: OrderedNode[]): TwimlVerb[] {
  return nodes.map(toVerb).filter((verb): verb is TwimlVerb => verb !== null);
}

/** Parses a TwiML document into its verbs, in order; throws when it is not a <Response>. */
export function parseTwiml(xml: string): TwimlVerb[] {
  const parsed: unknown = parser.parse(xml);
  const roots = Array.isArray(parsed) ? parsed.filter(isNode) : [];
  const response = roots.find((node) => elementName(node) === 'Response');
  if (!response) throw new Error(`not a TwiML <Response>: ${xml.slice(0, 200)}`);
  return toVerbs(childrenOf(response, 'Response'));
}

/** Every Say text, Gather children included, in the order Twilio would speak them. */
export function sayTexts(verbs: TwimlVerb[]): string[] {
  return verbs.flatMap((verb) => (verb.verb === 'Say' ? [verb.text] : verb.verb === 'Gather' ? sayTexts(verb.children) : []));
}
