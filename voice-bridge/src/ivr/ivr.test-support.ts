/**
 * Test support for the IVR tests (not production code: it imports the test workspace's XML parser).
 * TwiML is parsed back into verbs so tests assert what Twilio reads. The official-id checks come from
 * the hub, imported by the *.test.ts files only, so nothing but tests in voice-bridge reaches the hub.
 */
import { XMLParser } from 'fast-xml-parser';
import type { IvrContext } from './ivr.contract.js';

export interface TwimlVerb {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: TwimlVerb[];
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false });

function toVerbs(nodes: unknown): TwimlVerb[] {
  if (!Array.isArray(nodes)) return [];
  const verbs: TwimlVerb[] = [];
  for (const node of nodes) {
    if (typeof node !== 'object' || node === null) continue;
    const entries = Object.entries(node).filter(([key]) => key !== ':@' && key !== '#text');
    const rawAttrs: unknown = Object.entries(node).find(([key]) => key === ':@')?.[1];
    for (const [name, content] of entries) {
      const attrs: Record<string, string> = {};
      if (typeof rawAttrs === 'object' && rawAttrs !== null) {
        for (const [attr, value] of Object.entries(rawAttrs)) attrs[attr] = String(value);
      }
      const text = Array.isArray(content)
        ? content
            .map((child: unknown) => (typeof child === 'object' && child !== null && '#text' in child ? String(child['#text']) : ''))
            .join('')
        : '';
      verbs.push({ name, attrs, text, children: toVerbs(content) });
    }
  }
  return verbs;
}

/** The verbs inside <Response>, in order. Throws when the document is not a TwiML response. */
export function parseTwiml(xml: string): TwimlVerb[] {
  const top = toVerbs(parser.parse(xml));
  const response = top.find((verb) => verb.name === 'Response');
  if (!response) throw new Error(`not a TwiML <Response>: ${xml}`);
  return response.children;
}

export const verbNames = (verbs: TwimlVerb[]): string[] => verbs.map((verb) => verb.name);

/** Every <Say> text, including those inside <Gather>, in document order. */
export function spokenTexts(verbs: TwimlVerb[]): string[] {
  return verbs.flatMap((verb) => (verb.name === 'Say' ? [verb.text] : spokenTexts(verb.children)));
}

export const ACTION_BASE = 'https://voz.example.mx/twilio/ivr';

export interface TestContext extends IvrContext {
  /** Folios the interpreter asked about, in order. */
  lookups: string[];
}

export interface TestContextOptions {
  /** The hub's NSS and CURP checks (passed in by the test files, see above). */
  checks: Pick<IvrContext, 'validNss' | 'validCurp'>;
  open?: boolean;
  holiday?: boolean;
  folios?: Record<string, string>;
  now?: Date;
  folioFails?: boolean;
}

export function testContext(options: TestContextOptions): TestContext {
  const lookups: string[] = [];
  return {
    lookups,
    actionUrl: (node) => `${ACTION_BASE}/${encodeURIComponent(node)}`,
    now: options.now ?? new Date('2026-11-26T17:00:00Z'),
    isOpen: () => options.open ?? true,
    isHoliday: () => options.holiday ?? false,
    folioStatus: async (folio) => {
      lookups.push(folio);
      if (options.folioFails) throw new Error('folio service down');
      return options.folios?.[folio] ?? null;
    },
    validNss: (raw) => options.checks.validNss(raw),
    validCurp: (raw) => options.checks.validCurp(raw),
  };
}
