import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { DocumentInterface } from '@langchain/core/documents';
import { StringOutputParser } from '@langchain/core/output_parsers';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import type { Language } from '../model.schema.js';
import type { KbDocumentMetadata } from './bm25-retriever.js';

/** What the model must say when the articles do not answer; the answerer then gives up (null). */
export const NO_INFORMATION = { es: 'No tengo esa información', en: "I don't have that information" } as const;

const prompt = ChatPromptTemplate.fromMessages([
  [
    'system',
    [
      'Eres el asistente virtual de una institución pública de México. Responde SOLO con la información de los artículos de la base de conocimiento que siguen;',
      'no inventes datos, requisitos, montos ni plazos. Responde en {languageName}, en un máximo de 4 oraciones, con trato de usted.',
      'Si los artículos no responden la pregunta, responde exactamente: "{noInformation}".',
      '',
      'Artículos:',
      '{context}',
    ].join('\n'),
  ],
  ['human', '{question}'],
]);

/**
 * The LLM path of the KB: the retrieved articles are the only context, so the answer stays
 * grounded. Throws on any model error or when `signal` aborts (the caller falls back).
 */
export async function groundedAnswer(
  model: BaseChatModel,
  question: string,
  language: Language,
  docs: DocumentInterface<KbDocumentMetadata>[],
  signal: AbortSignal,
): Promise<string | null> {
  const context = docs.map((d, i) => `[${i + 1}] ${d.metadata.title}\n${d.pageContent}`).join('\n\n');
  const chain = prompt.pipe(model).pipe(new StringOutputParser());
  const text = (
    await chain.invoke(
      { question, context, languageName: language === 'en' ? 'inglés' : 'español', noInformation: NO_INFORMATION[language] },
      { signal },
    )
  ).trim();
  if (text === '' || saysNoInformation(text)) return null;
  return text;
}

function saysNoInformation(text: string): boolean {
  const folded = text.toLowerCase();
  return folded.includes(NO_INFORMATION.es.toLowerCase()) || folded.includes(NO_INFORMATION.en.toLowerCase());
}
