/**
 * Two-way keywords of an SMS channel (issue 6 item 4). The whole message is the keyword: a
 * citizen writing "no puedo ir" has not answered NO. Case, accents and surrounding punctuation
 * do not matter ("¡Alto!", "sí.", "Baja").
 */
export type SmsKeyword = 'opt_out' | 'opt_in' | 'yes' | 'no';

const KEYWORDS: Record<string, SmsKeyword> = {
  ALTO: 'opt_out',
  STOP: 'opt_out',
  BAJA: 'opt_out',
  CANCELAR: 'opt_out',
  UNSUBSCRIBE: 'opt_out',
  START: 'opt_in',
  ALTA: 'opt_in',
  REANUDAR: 'opt_in',
  SI: 'yes',
  NO: 'no',
};

export function normaliseKeyword(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/^[\s¡¿"'.,;:!?]+|[\s"'.,;:!?]+$/g, '');
}

export function smsKeywordOf(text: string | null | undefined): SmsKeyword | null {
  if (!text || text.length > 40) return null;
  return KEYWORDS[normaliseKeyword(text)] ?? null;
}
