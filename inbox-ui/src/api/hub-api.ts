import type { NoteView } from '@ventanilla/hub/realtime-contract';
import { apiErrorFrom } from './api-error.js';
import type {
  Campaign,
  CampaignAgent,
  Colleague,
  CannedResponse,
  ContactDetail,
  ConversationDetail,
  ConversationListItem,
  DispositionCode,
  FileView,
  KbArticle,
  KbArticleSummary,
  ListFilter,
  InteractiveReply,
  MessageView,
  Page,
  QueueView,
  ReplyOptions,
  Seat,
  TimelineItem,
  TransferTarget,
  SurveyResponse,
  TemplateReply,
  WebchatVisitor,
} from './api-types.js';
import type { AuthSession } from './auth-session.js';

export interface ListQuery {
  filter: ListFilter;
  q?: string;
  campaignId?: string;
  cursor?: string | null;
  limit?: number;
}

/**
 * One JSON call under /api/v1 on the session (bearer token, one silent refresh); the hub's error
 * body becomes an ApiError. Shared by the inbox and admin clients.
 */
export async function callJson<T>(session: AuthSession, method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await session.request(`/api/v1${path}`, init);
  if (!response.ok) throw await apiErrorFrom(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** The REST endpoints the inbox uses (all under /api/v1, bearer token from the session). */
export class HubApi {
  constructor(private readonly session: AuthSession) {}

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return callJson<T>(this.session, method, path, body);
  }

  seat(): Promise<Seat> {
    return this.call('GET', '/agents/me/seat');
  }
  setState(state: string, reason?: string): Promise<Seat> {
    return this.call('PUT', '/agents/me/state', reason ? { state, reason } : { state });
  }
  heartbeat(): Promise<{ ok: true }> {
    return this.call('POST', '/agents/me/heartbeat');
  }

  acceptOffer(offerId: string): Promise<{ ok: true }> {
    return this.call('POST', `/offers/${offerId}/accept`);
  }
  rejectOffer(offerId: string, reason: string): Promise<{ ok: true }> {
    return this.call('POST', `/offers/${offerId}/reject`, { reason });
  }

  conversations(query: ListQuery): Promise<Page<ConversationListItem>> {
    const params = new URLSearchParams({ limit: String(query.limit ?? 50) });
    if (query.filter === 'mine') {
      params.set('mine', 'true');
      params.set('open', 'true');
    } else if (query.filter === 'queues') {
      params.set('myQueues', 'true');
      params.set('open', 'true');
    }
    if (query.q?.trim()) params.set('q', query.q.trim());
    if (query.campaignId) params.set('campaignId', query.campaignId);
    if (query.cursor) params.set('cursor', query.cursor);
    return this.call('GET', `/conversations?${params.toString()}`);
  }
  conversation(id: string): Promise<ConversationDetail> {
    return this.call('GET', `/conversations/${id}`);
  }
  timeline(id: string): Promise<{ items: TimelineItem[] }> {
    return this.call('GET', `/conversations/${id}/timeline`);
  }
  sendMessage(id: string, text: string, fileIds: string[]): Promise<{ message: MessageView }> {
    return this.call('POST', `/conversations/${id}/messages`, { ...(text.trim() ? { text } : {}), ...(fileIds.length > 0 ? { fileIds } : {}) });
  }
  /** What may be sent now: the channel's customer-service window, capabilities and approved templates. */
  replyOptions(id: string): Promise<ReplyOptions> {
    return this.call('GET', `/conversations/${id}/reply-options`);
  }
  sendInteractive(id: string, interactive: InteractiveReply): Promise<{ message: MessageView }> {
    return this.call('POST', `/conversations/${id}/messages`, { interactive });
  }
  sendTemplate(id: string, template: TemplateReply): Promise<{ message: MessageView }> {
    return this.call('POST', `/conversations/${id}/messages`, { template });
  }
  addNote(id: string, text: string): Promise<{ note: NoteView }> {
    return this.call('POST', `/conversations/${id}/notes`, { text });
  }
  async uploadFile(id: string, file: File): Promise<FileView> {
    const form = new FormData();
    form.append('file', file, file.name);
    const response = await this.session.request(`/api/v1/conversations/${id}/files`, { method: 'POST', body: form });
    if (!response.ok) throw await apiErrorFrom(response);
    const body = (await response.json()) as { file: FileView };
    return body.file;
  }
  /** A file behind the bearer token, as a Blob (download with its name, or preview). */
  async fileBlob(path: string): Promise<Blob> {
    const response = await this.session.request(path);
    if (!response.ok) throw await apiErrorFrom(response);
    return response.blob();
  }
  transfer(id: string, target: TransferTarget, reason: string): Promise<{ ok: true }> {
    return this.call('POST', `/conversations/${id}/transfer`, { target, ...(reason.trim() ? { reason: reason.trim() } : {}) });
  }
  resolve(id: string, input: { dispositionCodeIds: string[]; summary: string }): Promise<{ ok: true }> {
    return this.call('POST', `/conversations/${id}/resolve`, {
      ...(input.dispositionCodeIds.length > 0 ? { dispositionCodeIds: input.dispositionCodeIds } : {}),
      ...(input.summary.trim() ? { summary: input.summary.trim() } : {}),
    });
  }

  campaigns(): Promise<{ items: Campaign[] }> {
    return this.call('GET', '/campaigns');
  }
  /** Campaign routing settings (ACW length): readable by supervisors and admins, 403 for agents. */
  routing(campaignId: string): Promise<{ campaignId: string; routing: { afterContactWorkMaxSeconds?: number } }> {
    return this.call('GET', `/campaigns/${campaignId}/routing`);
  }
  queues(campaignId: string): Promise<{ items: QueueView[] }> {
    return this.call('GET', `/campaigns/${campaignId}/queues`);
  }
  agents(campaignId: string): Promise<{ items: CampaignAgent[] }> {
    return this.call('GET', `/campaigns/${campaignId}/agents`);
  }
  /** The campaign's agents as every agent may see them (transfer to a colleague, names in the timeline). */
  colleagues(campaignId: string): Promise<{ items: Colleague[] }> {
    return this.call('GET', `/campaigns/${campaignId}/colleagues`);
  }
  cannedResponses(campaignId: string, q: string): Promise<{ items: CannedResponse[] }> {
    const params = q.trim() ? `?q=${encodeURIComponent(q.trim())}` : '';
    return this.call('GET', `/campaigns/${campaignId}/canned-responses${params}`);
  }
  dispositionCodes(campaignId: string): Promise<{ items: DispositionCode[] }> {
    return this.call('GET', `/campaigns/${campaignId}/disposition-codes`);
  }
  kbArticles(campaignId: string, q: string, topic: string): Promise<{ items: KbArticleSummary[] }> {
    const params = new URLSearchParams();
    if (q.trim()) params.set('q', q.trim());
    if (topic) params.set('topic', topic);
    const qs = params.toString();
    return this.call('GET', `/campaigns/${campaignId}/kb-articles${qs ? `?${qs}` : ''}`);
  }
  kbArticle(id: string): Promise<KbArticle> {
    return this.call('GET', `/kb-articles/${id}`);
  }
  contact(id: string): Promise<ContactDetail> {
    return this.call('GET', `/contacts/${id}`);
  }
  searchContacts(q: string): Promise<{ items: { id: string; displayName: string | null; identities: { kind: string; value: string }[]; conversationCount: number }[] }> {
    return this.call('GET', `/contacts?q=${encodeURIComponent(q)}&limit=10`);
  }
  mergeContacts(sourceContactId: string, targetContactId: string): Promise<unknown> {
    return this.call('POST', '/contacts/merge', { sourceContactId, targetContactId });
  }
  /** Web chat conversations: what the visitor typed in the pre-chat form, origin, IP (masked for agents), browser, visits. */
  webchatVisitor(conversationId: string): Promise<WebchatVisitor> {
    return this.call('GET', `/conversations/${conversationId}/webchat`);
  }
  conversationSurvey(conversationId: string): Promise<{ response: SurveyResponse | null }> {
    return this.call('GET', `/conversations/${conversationId}/survey`);
  }
}
