import type { ClientProblems } from '../form-problems.js';
import { CONTRACT_QUESTIONS, MAX_SURVEY_QUESTIONS, QUESTION_ID_MAX, QUESTION_TEXT, type SurveyQuestion } from './survey-limits.js';

/**
 * The exit-survey form and its mapping to the hub's settings. A question keeps the id it was
 * stored with whatever its text becomes, so answers given before an edit keep their meaning in
 * the results (which count answers by id); only a question added here gets a new id, made from
 * its text and never one the campaign has used.
 */

export interface SurveySettingsShape {
  enabled: boolean;
  rating: boolean;
  comment: boolean;
  rateAgents: boolean;
  questions: SurveyQuestion[];
}

export interface QuestionForm {
  /** React key only; never sent. */
  key: string;
  /** The stored id; null for a question added in this form (its id is made when saving). */
  id: string | null;
  text: string;
}

export interface SurveyForm {
  enabled: boolean;
  rating: boolean;
  comment: boolean;
  rateAgents: boolean;
  questions: QuestionForm[];
}

let lastKey = 0;
function nextKey(): string {
  lastKey += 1;
  return `q${lastKey}`;
}

export function toSurveyForm(settings: SurveySettingsShape): SurveyForm {
  return {
    enabled: settings.enabled,
    rating: settings.rating,
    comment: settings.comment,
    rateAgents: settings.rateAgents,
    questions: settings.questions.map((q) => ({ key: nextKey(), id: q.id, text: q.text })),
  };
}

export function newQuestion(): QuestionForm {
  return { key: nextKey(), id: null, text: '' };
}

/** The 12 questions of the contract with their own ids, so their past answers count again. */
export function contractQuestions(): QuestionForm[] {
  return CONTRACT_QUESTIONS.map((q) => ({ key: nextKey(), id: q.id, text: q.text }));
}

export function isContractList(questions: readonly QuestionForm[]): boolean {
  return questions.length === CONTRACT_QUESTIONS.length && questions.every((q, i) => q.id === CONTRACT_QUESTIONS[i]?.id && q.text.trim() === CONTRACT_QUESTIONS[i]?.text);
}

/**
 * Ids a new question must not take: those stored when the form was opened (a question removed
 * and a different one added under its id would inherit its answers) and the contract's own.
 */
export function reservedIds(settings: SurveySettingsShape): Set<string> {
  return new Set([...settings.questions.map((q) => q.id), ...CONTRACT_QUESTIONS.map((q) => q.id)]);
}

/** "¿Recibió su número de folio?" → "recibio_su_numero_de_folio": ASCII, lower case, ≤ 40, cut at a word. */
export function slugifyQuestion(text: string): string {
  const slug = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (slug.length <= QUESTION_ID_MAX) return slug || 'pregunta';
  const cut = slug.slice(0, QUESTION_ID_MAX + 1);
  const atWord = cut.lastIndexOf('_');
  return (atWord >= 10 ? cut.slice(0, atWord) : cut.slice(0, QUESTION_ID_MAX)).replace(/_+$/, '');
}

/** `base`, or `base_2`, `base_3`… (shortened to stay within 40 characters) when taken. */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `_${n}`;
    const candidate = `${base.slice(0, QUESTION_ID_MAX - suffix.length).replace(/_+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** What the form saves: trimmed texts, kept ids, and fresh unique ids for new questions in order. */
export function toSurveySettings(form: SurveyForm, reserved: ReadonlySet<string>): SurveySettingsShape {
  const taken = new Set([...reserved, ...form.questions.flatMap((q) => (q.id === null ? [] : [q.id]))]);
  const questions = form.questions.map((q) => {
    const text = q.text.trim();
    if (q.id !== null) return { id: q.id, text };
    const id = uniqueId(slugifyQuestion(text), taken);
    taken.add(id);
    return { id, text };
  });
  return { enabled: form.enabled, rating: form.rating, comment: form.comment, rateAgents: form.rateAgents, questions };
}

/** The hub's rules (survey-settings.schema.ts), on the hub's paths: `questions`, `questions.<i>.text`. */
export function validateSurveyForm(form: SurveyForm): ClientProblems {
  const problems: ClientProblems = {};
  if (form.questions.length > MAX_SURVEY_QUESTIONS) problems['questions'] = { key: 'v.maxItems', values: { max: MAX_SURVEY_QUESTIONS } };
  form.questions.forEach((q, i) => {
    const text = q.text.trim();
    const path = `questions.${i}.text`;
    if (text === '') problems[path] = { key: 'v.required' };
    else if (text.length < QUESTION_TEXT.min) problems[path] = { key: 'v.minLength', values: { min: QUESTION_TEXT.min } };
    else if (text.length > QUESTION_TEXT.max) problems[path] = { key: 'v.maxLength', values: { max: QUESTION_TEXT.max } };
  });
  return problems;
}

/** Admins, and supervisors of this campaign, may change the survey (the hub's PUT rule). */
export function canEditSurvey(user: { roles: readonly string[]; campaignIds: readonly string[] }, campaignId: string): boolean {
  return user.roles.includes('admin') || (user.roles.includes('supervisor') && user.campaignIds.includes(campaignId));
}
