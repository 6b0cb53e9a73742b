import argon2 from 'argon2';

/** argon2id with OWASP's recommended minimums (19 MiB, t=2, p=1). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

export const PASSWORD_MIN_LENGTH = 12;

/**
 * Passwords people pick first, lower-cased (Spanish and English). Checked whole and with the
 * digits and symbols at either end taken off, so «Contraseña2026!» is refused like «contraseña».
 */
const COMMON_PASSWORDS = new Set([
  'password', 'passw0rd', 'contraseña', 'contrasena', 'contraseña123', 'micontraseña', 'micontrasena',
  'qwerty', 'qwertyuiop', 'asdfghjkl', 'abc123', 'abcdefgh', 'abcdefghijkl', '123456789012', '1234567890ab',
  'iloveyou', 'teamo', 'letmein', 'welcome', 'bienvenido', 'bienvenida', 'administrador', 'admin', 'administrator',
  'superusuario', 'usuario', 'cambiame', 'cambiar', 'secreto', 'ventanilla', 'mexico', 'méxico', 'gobierno',
  'imss', 'issste', 'sat', 'infonavit', 'derechohabiente', 'contribuyente', 'soporte', 'sistemas', 'agente',
  'supervisor', 'callcenter', 'contactcenter', 'primavera', 'verano', 'otoño', 'invierno', 'america', 'chivas',
]);

const LETTER = /\p{L}/u;
const NON_LETTER = /[^\p{L}\s]/u;
const EDGE_DIGITS_AND_SYMBOLS = /^[^\p{L}]+|[^\p{L}]+$/gu;

/**
 * The staff password policy (issue 12): at least 12 characters, letters plus at least one digit or
 * symbol, not the account's e-mail (nor its part before @), not a common password. Returns every
 * problem, Spanish first; empty when the password is acceptable. Length is counted in characters.
 */
export function passwordProblems(password: string, email?: string): string[] {
  const problems: string[] = [];
  const lower = password.toLowerCase();
  if ([...password].length < PASSWORD_MIN_LENGTH) problems.push(`mínimo ${PASSWORD_MIN_LENGTH} caracteres / at least ${PASSWORD_MIN_LENGTH} characters`);
  if (!LETTER.test(password) || !NON_LETTER.test(password)) {
    problems.push('debe combinar letras con al menos un número o símbolo / must mix letters with at least one digit or symbol');
  }
  if (email) {
    const address = email.trim().toLowerCase();
    const local = address.split('@')[0] ?? '';
    if (lower.includes(address) || (local.length >= 4 && lower.includes(local))) {
      problems.push('no debe contener su correo electrónico / must not contain your e-mail address');
    }
  }
  if (COMMON_PASSWORDS.has(lower) || COMMON_PASSWORDS.has(lower.replace(EDGE_DIGITS_AND_SYMBOLS, ''))) {
    problems.push('es una contraseña demasiado común / is too common a password');
  }
  return problems;
}
