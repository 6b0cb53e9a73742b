import { expect } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Db } from '@ventanilla/hub';

/**
 * inject() that also checks what no response may ever contain: a password hash
 * (argon2 encodings start with `$argon2`) or the column that holds it.
 */
export async function call(app: FastifyInstance, options: InjectOptions): Promise<LightMyRequestResponse> {
  const res = await app.inject(options);
  expect(res.body).not.toContain('$argon2');
  expect(res.body).not.toMatch(/password_?hash/i);
  return res;
}

export function login(app: FastifyInstance, email: string, password: string) {
  return call(app, { method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
}

// Typed through the hub's Db: `kysely` resolves to another version from test/ (kysely-pglite pulls 0.27 to the root).
export function auditRows(db: Db['kysely'], action: string) {
  return db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
}
