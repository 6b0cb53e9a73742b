import type { z } from 'zod';
import { ApiError, apiErrorFrom } from '../api/api-error.js';
import { caseAnswer, proceduresAnswer, slotsAnswer, type CaseView, type FreeSlot, type Procedure } from './portal.schema.js';

/** Who opened the case: the folio alone reveals nothing, the hub wants the NSS or CURP too. */
export interface CaseKey {
  folio: string;
  officialId: string;
}

export interface NewCase {
  procedureId: string;
  officialId: { kind: 'nss' | 'curp'; value: string };
  birthDate: string;
  fullName: string;
  email?: string;
  phone?: string;
}

async function call<S extends z.ZodType>(schema: S, path: string, init: RequestInit = {}): Promise<z.output<S>> {
  const response = await fetch(`/portal/v1${path}`, { ...init, headers: { accept: 'application/json', ...init.headers } });
  if (!response.ok) throw await apiErrorFrom(response);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) throw new ApiError(502, 'HUB_ERR_UNEXPECTED_ANSWER', 'El servidor respondió algo inesperado / the server answered something unexpected');
  return parsed.data;
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const caseUrl = (key: CaseKey, rest = '') => `/cases/${encodeURIComponent(key.folio)}${rest}`;
const withId = (key: CaseKey, init: RequestInit = {}): RequestInit => ({ ...init, headers: { ...init.headers, 'x-official-id': key.officialId } });

/** The public portal API (/portal/v1, no session; hub/src/appointments/README.md). */
export const portalApi = {
  async procedures(): Promise<Procedure[]> {
    return (await call(proceduresAnswer, '/procedures')).procedures;
  },
  async startCase(input: NewCase): Promise<CaseView> {
    return (await call(caseAnswer, '/cases', json(input))).case;
  },
  async getCase(key: CaseKey): Promise<CaseView> {
    return (await call(caseAnswer, caseUrl(key), withId(key))).case;
  },
  async upload(key: CaseKey, requirementId: string, file: File): Promise<CaseView> {
    const form = new FormData();
    form.append('file', file, file.name);
    return (await call(caseAnswer, caseUrl(key, `/documents/${encodeURIComponent(requirementId)}`), withId(key, { method: 'POST', body: form }))).case;
  },
  async slots(key: CaseKey, from?: string): Promise<FreeSlot[]> {
    const query = from ? `?from=${encodeURIComponent(from)}` : '';
    return (await call(slotsAnswer, caseUrl(key, `/slots${query}`), withId(key))).slots;
  },
  async book(key: CaseKey, slot: { roomId: string; startsAt: string }): Promise<CaseView> {
    return (await call(caseAnswer, caseUrl(key, '/appointment'), withId(key, json(slot)))).case;
  },
  async confirm(key: CaseKey): Promise<CaseView> {
    return (await call(caseAnswer, caseUrl(key, '/appointment/confirm'), withId(key, { method: 'POST' }))).case;
  },
  async cancel(key: CaseKey): Promise<CaseView> {
    return (await call(caseAnswer, caseUrl(key, '/appointment/cancel'), withId(key, { method: 'POST' }))).case;
  },
};
