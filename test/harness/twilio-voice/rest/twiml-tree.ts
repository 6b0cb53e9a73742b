import { XMLParser } from 'fast-xml-parser';

/**
 * A TwiML element as the cloud executes it: every attribute kept (unlike `parseTwiml`, which
 * reads only what the IVR tests assert), nouns as children, text content trimmed.
 */
export interface TwimlNode {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: TwimlNode[];
}

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

function toNode(raw: OrderedNode): TwimlNode | null {
  const name = Object.keys(raw).find((key) => key !== ':@');
  if (name === undefined || name === '#text') return null;
  const attrs: Record<string, string> = {};
  const rawAttrs = raw[':@'];
  if (isNode(rawAttrs)) for (const [key, value] of Object.entries(rawAttrs)) if (typeof value === 'string') attrs[key] = value;
  const value = raw[name];
  const content: OrderedNode[] = Array.isArray(value) ? value.filter(isNode) : [];
  const text = content
    .map((child) => (typeof child['#text'] === 'string' ? child['#text'] : ''))
    .join('')
    .trim();
  const children = content.map(toNode).filter((node): node is TwimlNode => node !== null);
  return { name, attrs, text, children };
}

/** The verbs of a TwiML `<Response>`; throws when the document is not TwiML (Twilio's error 12100). */
export function parseTwimlTree(xml: string): TwimlNode[] {
  const parsed: unknown = parser.parse(xml);
  const roots = (Array.isArray(parsed) ? parsed.filter(isNode) : []).map(toNode);
  const response = roots.find((node) => node?.name === 'Response');
  if (!response) throw new Error(`not a TwiML <Response>: ${xml.slice(0, 200)}`);
  return response.children;
}

export function boolAttr(node: TwimlNode, name: string, fallback: boolean): boolean {
  const value = node.attrs[name];
  return value === undefined ? fallback : value === 'true';
}

export function intAttr(node: TwimlNode, name: string, fallback: number): number {
  const value = node.attrs[name];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : fallback;
}
