import type { InteractiveReply } from '../api/api-types.js';
import type { MessageKey } from '../i18n/messages.es-mx.js';

/**
 * WhatsApp Cloud API limits for interactive messages (the strictest of our channels, and what
 * the hub checks): body 1024 characters, 1–3 reply buttons of 20, a list button of 20, at most
 * 10 rows in all, row titles of 24, descriptions of 72, section titles of 24.
 */
export const INTERACTIVE_LIMITS = {
  text: 1024,
  buttons: 3,
  buttonTitle: 20,
  listButton: 20,
  sectionTitle: 24,
  rows: 10,
  rowTitle: 24,
  rowDescription: 72,
} as const;

export interface InteractiveDraft {
  text: string;
  mode: 'buttons' | 'list';
  buttons: string[];
  listButton: string;
  sectionTitle: string;
  rows: { title: string; description: string }[];
}

export function emptyInteractiveDraft(text = ''): InteractiveDraft {
  return { text, mode: 'buttons', buttons: ['', ''], listButton: '', sectionTitle: '', rows: [{ title: '', description: '' }] };
}

export interface DraftProblem {
  key: MessageKey;
  values?: Record<string, string | number>;
}

/** Problems by field: `text`, `buttons`, `button.<i>`, `listButton`, `sectionTitle`, `rows`, `row.<i>`, `rowDescription.<i>`. */
export type DraftProblems = Record<string, DraftProblem>;

function tooLong(problems: DraftProblems, field: string, value: string, max: number): void {
  if (value.trim().length > max) problems[field] = { key: 'options.tooLong', values: { max } };
}

/**
 * Empty buttons and rows are ignored (the form keeps blank slots to type into); titles must be
 * unique because the citizen's answer comes back as the title they tapped.
 */
export function interactiveProblems(draft: InteractiveDraft): DraftProblems {
  const problems: DraftProblems = {};
  const L = INTERACTIVE_LIMITS;
  if (draft.text.trim() === '') problems['text'] = { key: 'options.textRequired' };
  else tooLong(problems, 'text', draft.text, L.text);
  const seen = new Set<string>();
  const duplicate = (field: string, title: string) => {
    const k = title.trim().toLocaleLowerCase('es-MX');
    if (k !== '' && seen.has(k)) problems[field] ??= { key: 'options.duplicate' };
    seen.add(k);
  };
  if (draft.mode === 'buttons') {
    const filled = draft.buttons.filter((b) => b.trim() !== '');
    if (filled.length === 0) problems['buttons'] = { key: 'options.buttonsRequired' };
    if (filled.length > L.buttons) problems['buttons'] = { key: 'options.tooManyButtons', values: { max: L.buttons } };
    draft.buttons.forEach((b, i) => {
      tooLong(problems, `button.${i}`, b, L.buttonTitle);
      duplicate(`button.${i}`, b);
    });
  } else {
    if (draft.listButton.trim() === '') problems['listButton'] = { key: 'options.listButtonRequired' };
    else tooLong(problems, 'listButton', draft.listButton, L.listButton);
    tooLong(problems, 'sectionTitle', draft.sectionTitle, L.sectionTitle);
    const filled = draft.rows.filter((r) => r.title.trim() !== '');
    if (filled.length === 0) problems['rows'] = { key: 'options.rowsRequired' };
    if (filled.length > L.rows) problems['rows'] = { key: 'options.tooManyRows', values: { max: L.rows } };
    draft.rows.forEach((r, i) => {
      tooLong(problems, `row.${i}`, r.title, L.rowTitle);
      duplicate(`row.${i}`, r.title);
      if (r.title.trim() === '' && r.description.trim() !== '') problems[`row.${i}`] = { key: 'options.rowTitleRequired' };
      tooLong(problems, `rowDescription.${i}`, r.description, L.rowDescription);
    });
  }
  return problems;
}

/**
 * The body for POST /conversations/:id/messages. Ids are positional (`opcion-1`…): the citizen's
 * choice comes back with the id and the title, and the title is what the agent reads.
 */
export function draftToInteractive(draft: InteractiveDraft): InteractiveReply {
  const text = draft.text.trim();
  if (draft.mode === 'buttons') {
    const buttons = draft.buttons.map((b) => b.trim()).filter((b) => b !== '');
    return { text, buttons: buttons.map((title, i) => ({ id: `opcion-${i + 1}`, title })) };
  }
  const rows = draft.rows
    .filter((r) => r.title.trim() !== '')
    .map((r, i) => {
      const description = r.description.trim();
      return { id: `opcion-${i + 1}`, title: r.title.trim(), ...(description ? { description } : {}) };
    });
  const button = draft.listButton.trim();
  // WhatsApp wants a section title once there are several sections; with one, the button's text reads well.
  return { text, list: { button, sections: [{ title: draft.sectionTitle.trim() || button, rows }] } };
}
