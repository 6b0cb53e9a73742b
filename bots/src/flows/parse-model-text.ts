import { parseDocument, YAMLError } from 'yaml';
import { jsonErrorOffset, lineAndColumn } from './json-error-position.js';

/** Exports bigger than this are not a bot model (1,000 intents × 2,000 phrases is far below it). */
const MAX_MODEL_TEXT_CHARS = 20_000_000;

/**
 * A model file as trainers import it (JSON or YAML). Throws an Error whose message says, in
 * Spanish, what is wrong and where (line and column) so the console can show it as is.
 */
export function parseBotModelText(text: string, format: 'json' | 'yaml'): unknown {
  if (text.trim() === '') throw new Error('El archivo del modelo está vacío.');
  if (text.length > MAX_MODEL_TEXT_CHARS) throw new Error('El archivo del modelo es demasiado grande (máximo 20 MB).');
  return format === 'json' ? parseJson(text) : parseYaml(text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const { line, column } = lineAndColumn(text, jsonErrorOffset(text));
    throw new Error(`El JSON del modelo no es válido (línea ${line}, columna ${column}): ${detail}`);
  }
}

function parseYaml(text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const where = first.linePos ? ` (línea ${first.linePos[0].line}, columna ${first.linePos[0].col})` : '';
    throw new Error(`El YAML del modelo no es válido${where}: ${firstLine(first)}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (error) {
    const detail = error instanceof YAMLError || error instanceof Error ? error.message : String(error);
    throw new Error(`El YAML del modelo no es válido: ${detail}`);
  }
}

function firstLine(error: YAMLError): string {
  return error.message.split('\n')[0] ?? error.code;
}
