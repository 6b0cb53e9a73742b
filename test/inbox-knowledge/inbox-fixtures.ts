import type { LightMyRequestResponse } from 'fastify';
import { createTestHub, type TestHub } from '../support/test-context.js';
import { createCampaign, createUser } from '../support/factories.js';
import { bearer, tokenFor } from '../support/auth.js';
import type { Role } from '@ventanilla/hub';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A hub with two campaigns and one token per role; `outsider` is a supervisor of the other campaign. */
export interface InboxWorld {
  hub: TestHub;
  campaignId: string;
  otherCampaignId: string;
  tokens: Record<'admin' | 'supervisor' | 'trainer' | 'agent' | 'auditor' | 'outsider' | 'outsiderTrainer' | 'outsiderAgent', string>;
  ids: Record<'supervisor' | 'agent' | 'trainer', string>;
  api(method: Method, url: string, token: string, payload?: unknown): Promise<LightMyRequestResponse>;
  auditOf(targetId: string): Promise<string[]>;
}

export async function createInboxWorld(): Promise<InboxWorld> {
  const hub = await createTestHub();
  const db = hub.ctx.db.kysely;
  const campaignId = (await createCampaign(db, { name: 'Derechohabientes' })).id;
  const otherCampaignId = (await createCampaign(db, { name: 'Contribuyentes' })).id;
  const user = async (roles: Role[], campaignIds: string[]) => createUser(db, { roles, campaignIds });
  const [admin, supervisor, trainer, agent, auditor, outsider, outsiderTrainer, outsiderAgent] = await Promise.all([
    user(['admin'], []),
    user(['supervisor'], [campaignId]),
    user(['trainer'], [campaignId]),
    user(['agent'], [campaignId]),
    user(['auditor'], [campaignId]),
    user(['supervisor'], [otherCampaignId]),
    user(['trainer'], [otherCampaignId]),
    user(['agent'], [otherCampaignId]),
  ]);
  const token = (id: string) => tokenFor(db, id);
  return {
    hub,
    campaignId,
    otherCampaignId,
    tokens: {
      admin: await token(admin.id),
      supervisor: await token(supervisor.id),
      trainer: await token(trainer.id),
      agent: await token(agent.id),
      auditor: await token(auditor.id),
      outsider: await token(outsider.id),
      outsiderTrainer: await token(outsiderTrainer.id),
      outsiderAgent: await token(outsiderAgent.id),
    },
    ids: { supervisor: supervisor.id, agent: agent.id, trainer: trainer.id },
    api: (method, url, t, payload) => hub.app.inject({ method, url: `/api/v1${url}`, headers: bearer(t), ...(payload === undefined ? {} : { payload: payload as object }) }),
    async auditOf(targetId) {
      return (await db.selectFrom('audit_log').select('action').where('target_id', '=', targetId).orderBy('id').execute()).map((r) => r.action);
    },
  };
}
