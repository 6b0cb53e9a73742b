import { callJson } from '../api/hub-api.js';
import type { AuthSession } from '../api/auth-session.js';
import type {
  AdminCampaign,
  AdminChannel,
  AdminQueue,
  AdminUser,
  CampaignRouting,
  CannedResponse,
  CapacityResult,
  ChannelCounts,
  DispositionCode,
  KbArticle,
  KbHit,
  KbInput,
  LiveAgent,
  NewUser,
  QueueBody,
  RoutingProblem,
  Role,
  Skill,
  AgentSkill,
  WhatsAppWebPairingStatus,
} from './admin-types.js';

type Items<T> = Promise<{ items: T[] }>;

/**
 * The administration endpoints (all under /api/v1). Calls go through callJson (api/hub-api.ts)
 * on the same AuthSession: bearer token, one silent refresh, the hub's error body as an ApiError.
 */
export class AdminApi {
  constructor(private readonly session: AuthSession) {}

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return callJson<T>(this.session, method, path, body);
  }

  // Campaigns and routing settings
  campaigns(): Items<AdminCampaign> {
    return this.call('GET', '/campaigns');
  }
  createCampaign(input: { slug: string; name: string; folioPrefix: string; timeZone: string }): Promise<AdminCampaign> {
    return this.call('POST', '/campaigns', input);
  }
  updateCampaign(id: string, input: { name?: string; timeZone?: string }): Promise<AdminCampaign> {
    return this.call('PATCH', `/campaigns/${id}`, input);
  }
  routing(campaignId: string): Promise<{ campaignId: string; routing: CampaignRouting }> {
    return this.call('GET', `/campaigns/${campaignId}/routing`);
  }
  saveRouting(campaignId: string, routing: CampaignRouting): Promise<{ campaignId: string; routing: CampaignRouting }> {
    return this.call('PUT', `/campaigns/${campaignId}/routing`, routing);
  }

  // Channels
  channels(campaignId: string): Items<AdminChannel> {
    return this.call('GET', `/campaigns/${campaignId}/channels`);
  }
  /** `secrets`: passwords typed by the admin, only for kinds whose secrets are 'provided'. */
  createChannel(campaignId: string, input: { kind: string; name: string; settings: Record<string, unknown>; secrets?: Record<string, string> }): Promise<AdminChannel> {
    return this.call('POST', `/campaigns/${campaignId}/channels`, input);
  }
  /** Secret names not sent keep their stored value. */
  /** WhatsApp Web session of a channel: pairing state and the QR to scan (admins). */
  whatsappWebStatus(id: string): Promise<WhatsAppWebPairingStatus> {
    return this.call('GET', `/channels/${id}/whatsapp-web`);
  }
  whatsappWebLogout(id: string): Promise<void> {
    return this.call<unknown>('POST', `/channels/${id}/whatsapp-web/logout`).then(() => undefined);
  }
  updateChannel(id: string, input: { name?: string; enabled?: boolean; settings?: Record<string, unknown>; rotateSecrets?: boolean; secrets?: Record<string, string> }): Promise<AdminChannel> {
    return this.call('PATCH', `/channels/${id}`, input);
  }

  // Skills and queues
  skills(campaignId: string): Items<Skill> {
    return this.call('GET', `/campaigns/${campaignId}/skills`);
  }
  createSkill(campaignId: string, name: string): Promise<Skill> {
    return this.call('POST', `/campaigns/${campaignId}/skills`, { name });
  }
  queues(campaignId: string): Items<AdminQueue> {
    return this.call('GET', `/campaigns/${campaignId}/queues`);
  }
  createQueue(campaignId: string, body: QueueBody): Promise<AdminQueue & { warnings: RoutingProblem[] }> {
    return this.call('POST', `/campaigns/${campaignId}/queues`, body);
  }
  updateQueue(queueId: string, body: QueueBody): Promise<AdminQueue & { warnings: RoutingProblem[] }> {
    return this.call('PUT', `/queues/${queueId}`, body);
  }
  deleteQueue(queueId: string): Promise<void> {
    return this.call('DELETE', `/queues/${queueId}`);
  }

  // Users, memberships, agents
  users(campaignId?: string): Items<AdminUser> {
    return this.call('GET', `/users${campaignId ? `?campaignId=${encodeURIComponent(campaignId)}` : ''}`);
  }
  createUser(input: NewUser): Promise<AdminUser> {
    return this.call('POST', '/users', input);
  }
  updateUser(id: string, input: { displayName?: string; roles?: Role[]; disabled?: boolean }): Promise<AdminUser> {
    return this.call('PATCH', `/users/${id}`, input);
  }
  setUserCampaigns(id: string, campaignIds: string[]): Promise<AdminUser> {
    return this.call('PUT', `/users/${id}/campaigns`, { campaignIds });
  }
  campaignAgents(campaignId: string): Items<LiveAgent> {
    return this.call('GET', `/campaigns/${campaignId}/agents`);
  }
  setAgentSkills(agentId: string, campaignId: string, skills: { skillId: string; level: number }[]): Promise<{ agentId: string; campaignId: string; skills: AgentSkill[] }> {
    return this.call('PUT', `/agents/${agentId}/skills`, { campaignId, skills });
  }
  /** null (or absent) restores the campaign default for that class. */
  setAgentCapacity(agentId: string, capacity: { [K in keyof ChannelCounts]: number | null }): Promise<CapacityResult> {
    return this.call('PUT', `/agents/${agentId}/capacity`, capacity);
  }

  // Canned responses
  cannedResponses(campaignId: string): Items<CannedResponse> {
    return this.call('GET', `/campaigns/${campaignId}/canned-responses`);
  }
  createCanned(campaignId: string, input: { shortcut: string; title: string; body: string }): Promise<CannedResponse> {
    return this.call('POST', `/campaigns/${campaignId}/canned-responses`, input);
  }
  updateCanned(id: string, input: { shortcut: string; title: string; body: string }): Promise<CannedResponse> {
    return this.call('PUT', `/canned-responses/${id}`, input);
  }
  deleteCanned(id: string): Promise<void> {
    return this.call('DELETE', `/canned-responses/${id}`);
  }

  // Disposition codes
  dispositionCodes(campaignId: string): Items<DispositionCode> {
    return this.call('GET', `/campaigns/${campaignId}/disposition-codes`);
  }
  createDispositionCode(campaignId: string, input: { parentId: string | null; code: string; label: string }): Promise<DispositionCode> {
    return this.call('POST', `/campaigns/${campaignId}/disposition-codes`, input);
  }
  updateDispositionCode(id: string, input: { label?: string; active?: boolean; position?: number }): Promise<DispositionCode> {
    return this.call('PUT', `/disposition-codes/${id}`, input);
  }

  // Knowledge base
  kbArticles(campaignId: string, q: string, topic: string): Items<KbHit> {
    const params = new URLSearchParams({ limit: '50' });
    if (q.trim()) params.set('q', q.trim());
    if (topic.trim()) params.set('topic', topic.trim());
    return this.call('GET', `/campaigns/${campaignId}/kb-articles?${params.toString()}`);
  }
  kbArticle(id: string): Promise<KbArticle> {
    return this.call('GET', `/kb-articles/${id}`);
  }
  createKbArticle(campaignId: string, input: KbInput): Promise<KbArticle> {
    return this.call('POST', `/campaigns/${campaignId}/kb-articles`, input);
  }
  updateKbArticle(id: string, input: Partial<KbInput>): Promise<KbArticle> {
    return this.call('PUT', `/kb-articles/${id}`, input);
  }
  deleteKbArticle(id: string): Promise<void> {
    return this.call('DELETE', `/kb-articles/${id}`);
  }
}
