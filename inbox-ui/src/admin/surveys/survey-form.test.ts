import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseWith } from '../../../../hub/src/router/config/routing-problem.js';
import { DEFAULT_SURVEY_QUESTIONS, MAX_SURVEY_QUESTIONS as HUB_MAX_QUESTIONS, surveySettingsSchema } from '../../../../hub/src/surveys/survey-settings.schema.js';
import { HubError } from '../../../../hub/src/errors/error-registry.js';
import { parseSurveySettings } from '../../../../hub/src/surveys/survey-settings.usecase.js';
import { ApiError } from '../../api/api-error.js';
import { messagesUnder, serverFeedback } from '../form-problems.js';
import { moveItem } from '../queue-form.js';
import {
  canEditSurvey,
  contractQuestions,
  isContractList,
  newQuestion,
  reservedIds,
  slugifyQuestion,
  toSurveyForm,
  toSurveySettings,
  uniqueId,
  validateSurveyForm,
  type SurveyForm,
  type SurveySettingsShape,
} from './survey-form.js';
import { CONTRACT_QUESTIONS, MAX_SURVEY_QUESTIONS, QUESTION_ID_PATTERN } from './survey-limits.js';

const stored: SurveySettingsShape = {
  enabled: true,
  rating: true,
  comment: false,
  rateAgents: true,
  questions: [
    { id: 'trato_amable', text: '¿Le trataron con amabilidad y respeto?' },
    { id: 'folio_recibido', text: '¿Recibió un número de folio?' },
  ],
};

/** The hub's verdict on what the form would save: the paths it complains about. */
function hubProblemPaths(settings: unknown): string[] {
  const parsed = parseWith(surveySettingsSchema, settings);
  return parsed.ok ? [] : parsed.problems.map((p) => p.path).sort();
}

function formWithTexts(texts: string[]): SurveyForm {
  return { ...toSurveyForm(stored), questions: texts.map((text) => ({ ...newQuestion(), text })) };
}

describe('survey limits mirror the hub', () => {
  it('has the hub’s maximum and the contract’s 12 questions, ids and texts alike', () => {
    expect(MAX_SURVEY_QUESTIONS).toBe(HUB_MAX_QUESTIONS);
    expect(CONTRACT_QUESTIONS).toEqual(DEFAULT_SURVEY_QUESTIONS);
    expect(CONTRACT_QUESTIONS).toHaveLength(12);
    // What the hub stores for a campaign that never touched its survey.
    expect(surveySettingsSchema.parse({}).questions).toEqual(CONTRACT_QUESTIONS);
  });
});

describe('question ids', () => {
  it('are made from the text: ASCII without accents, ñ or Spanish punctuation', () => {
    expect(slugifyQuestion('¿Recibió su número de folio?')).toBe('recibio_su_numero_de_folio');
    expect(slugifyQuestion('¿La señora de Ñuñoa le atendió?')).toBe('la_senora_de_nunoa_le_atendio');
    expect(slugifyQuestion('  Güero: ¿todo bien?? ')).toBe('guero_todo_bien');
  });

  it('stay within 40 characters, cut at a word when one is near', () => {
    const id = slugifyQuestion('¿Sintió que sus datos personales fueron tratados con cuidado?');
    expect(id).toBe('sintio_que_sus_datos_personales_fueron');
    expect(id.length).toBeLessThanOrEqual(40);
    expect(slugifyQuestion('a'.repeat(80))).toBe('a'.repeat(40));
    expect(slugifyQuestion('¿¿??')).toBe('pregunta');
  });

  it('take a numbered suffix when taken, still within 40 characters', () => {
    expect(uniqueId('trato', new Set(['trato']))).toBe('trato_2');
    expect(uniqueId('trato', new Set(['trato', 'trato_2']))).toBe('trato_3');
    const long = 'x'.repeat(40);
    const next = uniqueId(long, new Set([long]));
    expect(next).toBe(`${'x'.repeat(38)}_2`);
    expect(next).toMatch(QUESTION_ID_PATTERN);
  });
});

describe('form ↔ settings', () => {
  it('keeps the stored id of a question whose text was edited or moved, so past answers keep their meaning', () => {
    const form = toSurveyForm(stored);
    const [first, second] = form.questions;
    if (!first || !second) throw new Error('fixture');
    const edited: SurveyForm = { ...form, questions: moveItem([{ ...first, text: '  ¿Le atendieron con respeto?  ' }, second], 0, 1) };
    expect(toSurveySettings(edited, reservedIds(stored)).questions).toEqual([
      { id: 'folio_recibido', text: '¿Recibió un número de folio?' },
      { id: 'trato_amable', text: '¿Le atendieron con respeto?' },
    ]);
  });

  it('gives new questions fresh ids from their text, never one the campaign used before', () => {
    const form = toSurveyForm(stored);
    // trato_amable removed, then a different question whose text slugs to the same id.
    const next: SurveyForm = {
      ...form,
      comment: true,
      questions: [form.questions[1]!, { ...newQuestion(), text: 'Trato amable' }, { ...newQuestion(), text: 'Trato amable' }, { ...newQuestion(), text: '¿Volvería a usar este medio?' }],
    };
    const settings = toSurveySettings(next, reservedIds(stored));
    expect(settings).toEqual({
      enabled: true,
      rating: true,
      comment: true,
      rateAgents: true,
      questions: [
        { id: 'folio_recibido', text: '¿Recibió un número de folio?' },
        { id: 'trato_amable_2', text: 'Trato amable' },
        { id: 'trato_amable_3', text: 'Trato amable' },
        { id: 'volveria_a_usar_este_medio', text: '¿Volvería a usar este medio?' },
      ],
    });
    expect(hubProblemPaths(settings)).toEqual([]);
  });

  it('does not let a new question take a contract id, even one not configured now', () => {
    const form = { ...toSurveyForm(stored), questions: [{ ...newQuestion(), text: 'Usaria de nuevo' }] };
    expect(toSurveySettings(form, reservedIds(stored)).questions[0]?.id).toBe('usaria_de_nuevo_2');
  });

  it('restores the contract’s 12 questions with their own ids', () => {
    const restored: SurveyForm = { ...toSurveyForm(stored), questions: contractQuestions() };
    expect(isContractList(restored.questions)).toBe(true);
    expect(toSurveySettings(restored, reservedIds(stored)).questions).toEqual(CONTRACT_QUESTIONS);
    expect(isContractList(toSurveyForm(stored).questions)).toBe(false);
    expect(isContractList(moveItem(restored.questions, 0, 1))).toBe(false);
  });

  it('always saves something the hub accepts when the texts are acceptable (any text, any count up to the maximum)', () => {
    const text = fc.string({ minLength: 3, maxLength: 300, unit: fc.constantFrom('a', 'ñ', 'É', '¿', '?', ' ', '_', '-', '1', 'ü', 'x') }).filter((s) => s.trim().length >= 3);
    fc.assert(
      fc.property(fc.array(text, { maxLength: MAX_SURVEY_QUESTIONS }), (texts) => {
        const form = formWithTexts(texts);
        expect(validateSurveyForm(form)).toEqual({});
        const settings = toSurveySettings(form, reservedIds(stored));
        expect(hubProblemPaths(settings)).toEqual([]);
        expect(new Set(settings.questions.map((q) => q.id)).size).toBe(texts.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe('validation mirrors the hub', () => {
  it('flags the same questions the hub would, on the same paths', () => {
    const texts = ['¿Todo bien?', '', '  ab  ', 'x'.repeat(301), '   ', 'abc'];
    const form = formWithTexts(texts);
    const problems = validateSurveyForm(form);
    expect(problems).toEqual({
      'questions.1.text': { key: 'v.required' },
      'questions.2.text': { key: 'v.minLength', values: { min: 3 } },
      'questions.3.text': { key: 'v.maxLength', values: { max: 300 } },
      'questions.4.text': { key: 'v.required' },
    });
    expect(hubProblemPaths(toSurveySettings(form, new Set()))).toEqual(Object.keys(problems).sort());
  });

  it('refuses more than the maximum of questions, as the hub does', () => {
    const form = formWithTexts(Array.from({ length: MAX_SURVEY_QUESTIONS + 1 }, (_, i) => `Pregunta número ${i + 1}`));
    expect(validateSurveyForm(form)).toEqual({ questions: { key: 'v.maxItems', values: { max: MAX_SURVEY_QUESTIONS } } });
    expect(hubProblemPaths(toSurveySettings(form, new Set()))).toEqual(['questions']);
    expect(validateSurveyForm(formWithTexts([]))).toEqual({});
  });
});

describe('the hub’s own 400', () => {
  it('lands on the question it names, in the reader’s language', () => {
    let thrown: unknown = null;
    try {
      parseSurveySettings({ questions: [{ id: 'q1', text: '¿Todo bien?' }, { id: 'q1', text: 'xy' }] });
    } catch (e) {
      thrown = e;
    }
    if (!(thrown instanceof HubError)) throw new Error('the hub accepted a duplicate id');
    const error = new ApiError(thrown.statusCode, thrown.code, thrown.message, thrown.details);
    const es = serverFeedback(error, 'es-MX', 'sin conexión').errors;
    expect(messagesUnder(es, 'questions.1').sort()).toEqual(['la pregunta debe tener al menos 3 caracteres', 'pregunta repetida: q1']);
    expect(messagesUnder(es, 'questions.0')).toEqual([]);
    expect(messagesUnder(serverFeedback(error, 'en', 'offline').errors, 'questions.1').sort()).toEqual(['duplicate question id: q1', 'question text must be at least 3 characters']);
  });
});

describe('who may change the survey', () => {
  const campaignId = 'c-1';
  it('is an admin, or a supervisor of that campaign (the hub’s PUT rule)', () => {
    expect(canEditSurvey({ roles: ['admin'], campaignIds: [] }, campaignId)).toBe(true);
    expect(canEditSurvey({ roles: ['supervisor'], campaignIds: [campaignId] }, campaignId)).toBe(true);
    expect(canEditSurvey({ roles: ['supervisor'], campaignIds: ['c-2'] }, campaignId)).toBe(false);
    expect(canEditSurvey({ roles: ['auditor'], campaignIds: [campaignId] }, campaignId)).toBe(false);
    expect(canEditSurvey({ roles: ['agent', 'trainer'], campaignIds: [campaignId] }, campaignId)).toBe(false);
  });
});
