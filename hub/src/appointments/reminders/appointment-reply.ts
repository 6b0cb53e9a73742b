/**
 * What a citizen's message answers, if anything (pure). A reminder or confirmation request takes
 * SÍ / NO: "SÍ", "si", "Sí confirmo", "1"; "NO", "no puedo", "2" — accents, case and punctuation do
 * not matter, at most four words, and never a question ("¿sí puedo cambiarla?" is for a person).
 * The SMS adapter already turns a bare SÍ / NO into a choice (interactive, replyId yes / no), as a
 * WhatsApp button would. A survey takes a score 1–5, optionally followed by a comment.
 */
export type YesNo = 'yes' | 'no';

export interface ReplyContent {
  readonly contentType: string;
  readonly text: string | null;
  /** messages.raw of an interactive reply: `{ replyId }`. */
  readonly replyId?: string | null;
}

const YES_FIRST = new Set(['si', 'sii', '1', 'confirmo', 'confirmada', 'confirmado', 'acepto', 'yes']);
const NO_FIRST = new Set(['no', '2']);
const MAX_WORDS = 4;

export function normaliseWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9ñ\s]/g, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

export function yesNoOf(content: ReplyContent): YesNo | null {
  const id = content.replyId?.trim().toLowerCase();
  if (content.contentType === 'interactive' && (id === 'yes' || id === 'no')) return id;
  if (content.contentType !== 'text' && content.contentType !== 'interactive') return null;
  const text = content.text ?? '';
  if (text.includes('?') || text.length > 60) return null;
  const words = normaliseWords(text);
  const first = words[0];
  if (first === undefined || words.length > MAX_WORDS) return null;
  if (YES_FIRST.has(first)) return 'yes';
  if (NO_FIRST.has(first)) return 'no';
  return null;
}

/** "5", "4 muy buena atención", "⭐ 3": the first number 1–5 at the start, and the rest as comment. */
export function surveyScoreOf(content: ReplyContent): { score: number; comment: string | null } | null {
  if (content.contentType !== 'text' && content.contentType !== 'interactive') return null;
  const id = content.replyId?.trim();
  if (id && /^[1-5]$/.test(id)) return { score: Number(id), comment: null };
  const match = /^[^0-9a-zA-Z]*([1-5])(?![0-9])[\s.,;:!)-]*(.*)$/s.exec((content.text ?? '').trim());
  if (!match) return null;
  const comment = (match[2] ?? '').trim().slice(0, 1000);
  return { score: Number(match[1]), comment: comment.length > 0 ? comment : null };
}
