/**
 * One contact's KPI fact, built from that conversation's interaction events alone (pure: the
 * listener and the recompute both call it, so they cannot disagree). Event vocabulary:
 * domain/interaction-events.ts and voice/call-events.contract.ts (`call.<type>`).
 */

export interface FactEvent {
  readonly id: number;
  readonly type: string;
  readonly occurredAtMs: number;
  readonly actorType: string;
  readonly payload: Readonly<Record<string, unknown>>;
  /** interaction_events.contact_id (the citizen), when the event names one. */
  readonly contactId?: string | null;
}

/** One closed talk or hold span of one agent (kpi_agent_segments). */
export interface AgentSegment {
  readonly agentId: string;
  readonly kind: 'talk' | 'hold';
  readonly channelClass: 'voice' | 'text' | 'email';
  readonly startedAtMs: number;
  readonly endedAtMs: number;
}

export interface ContactFact {
  readonly conversationId: string;
  readonly campaignId: string;
  readonly channelId: string | null;
  readonly channelKind: string | null;
  readonly channelClass: string | null;
  readonly folio: string | null;
  readonly queueId: string | null;
  readonly receivedAtMs: number | null;
  readonly offeredAtMs: number | null;
  readonly answeredAtMs: number | null;
  readonly answerWaitMs: number | null;
  readonly abandonedAtMs: number | null;
  readonly abandonWaitMs: number | null;
  readonly firstResponseAtMs: number | null;
  readonly resolvedAtMs: number | null;
  readonly talkMs: number;
  readonly holdMs: number;
  readonly transfers: number;
  readonly tier2Transferred: boolean;
  readonly tier2Reason: string | null;
  readonly surveyOffered: boolean;
  readonly surveyAnswered: boolean;
  readonly firstAgentId: string | null;
  readonly agentIds: readonly string[];
  readonly updatedFromEventId: number;
  /** The citizen (last contact id the events name: a merge moves the conversation). */
  readonly contactId: string | null;
  /** First conversation.opened (else the first event): when the citizen opened it. */
  readonly openedAtMs: number | null;
  /** conversation.reopened after a conversation.resolved: the citizen came back (not FCR). */
  readonly reopened: boolean;
  /** Talk and hold per agent; per contact Σ talk = talkMs and Σ hold = holdMs. */
  readonly segments: readonly AgentSegment[];
}

function str(payload: Readonly<Record<string, unknown>>, key: string): string | null {
  const value = payload[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

interface ClosedSpan {
  readonly owner: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** Open spans per key (agent), closed by an end event or, at worst, by the contact's last end. */
class SpanClock {
  private readonly open = new Map<string, { since: number; owner: string }>();
  readonly closed: ClosedSpan[] = [];
  total = 0;
  /** `owner`: the agent the time belongs to (default the key). */
  start(key: string, atMs: number, owner: string = key): void {
    if (!this.open.has(key)) this.open.set(key, { since: atMs, owner });
  }
  stop(key: string, atMs: number): void {
    const span = this.open.get(key);
    if (span === undefined) return;
    this.total += Math.max(0, atMs - span.since);
    if (atMs > span.since) this.closed.push({ owner: span.owner, startMs: span.since, endMs: atMs });
    this.open.delete(key);
  }
  /** The agents with an open span (voice: on the line now). */
  openKeys(): string[] {
    return [...this.open.keys()];
  }
  stopAll(atMs: number): void {
    for (const key of [...this.open.keys()]) this.stop(key, atMs);
  }
}

/**
 * - received = first `conversation.queued` (voice: or `call.enqueued`): IVR/bot time is not wait.
 * - answered = first human answer: text `conversation.assigned`; voice `call.agent_connected`
 *   (the agent is on the line), falling back to the assignment.
 * - abandoned = `conversation.abandoned` before any answer (its `waitedMs`), or for a call a
 *   `call.left_queue` that was not `bridged`.
 * - talk (text) = assigned → released/resolved/transferred-away per agent; talk (voice) =
 *   agent_connected → agent_left/ended per agent, hold = hold → unhold/agent_left/ended.
 */
export function buildContactFact(conversationId: string, campaignId: string, events: readonly FactEvent[]): ContactFact {
  const sorted = [...events].sort((a, b) => a.id - b.id);
  let channelId: string | null = null;
  let channelKind: string | null = null;
  let channelClass: string | null = null;
  let folio: string | null = null;
  let queueId: string | null = null;
  let receivedAtMs: number | null = null;
  let offeredAtMs: number | null = null;
  let assignedAtMs: number | null = null;
  let connectedAtMs: number | null = null;
  let abandonedAtMs: number | null = null;
  let abandonWaitMs: number | null = null;
  let firstResponseAtMs: number | null = null;
  let resolvedAtMs: number | null = null;
  let conversationTransfers = 0;
  let callTransfers = 0;
  let tier2Transferred = false;
  let tier2Reason: string | null = null;
  let surveyOffered = false;
  let surveyAnswered = false;
  const agentIds: string[] = [];
  const textTalk = new SpanClock();
  const voiceTalk = new SpanClock();
  const hold = new SpanClock();
  let lastId = 0;
  let contactId: string | null = null;
  let openedAtMs: number | null = null;
  let reopened = false;
  const addAgent = (agentId: string | null): void => {
    if (agentId !== null && !agentIds.includes(agentId)) agentIds.push(agentId);
  };
  for (const event of sorted) {
    const p = event.payload;
    const at = event.occurredAtMs;
    lastId = Math.max(lastId, event.id);
    if (typeof event.contactId === 'string') contactId = event.contactId;
    switch (event.type) {
      case 'conversation.reopened':
        if (resolvedAtMs !== null) reopened = true;
        openedAtMs ??= at;
        channelId ??= str(p, 'channelId');
        channelKind ??= str(p, 'channelKind');
        folio ??= str(p, 'folio');
        break;
      case 'conversation.opened':
        openedAtMs ??= at;
        channelId ??= str(p, 'channelId');
        channelKind ??= str(p, 'channelKind');
        folio ??= str(p, 'folio');
        break;
      case 'conversation.queued':
        if (receivedAtMs === null) {
          receivedAtMs = at;
          queueId = str(p, 'queueId');
        }
        channelClass ??= str(p, 'channelClass');
        break;
      case 'call.enqueued':
        if (receivedAtMs === null) {
          receivedAtMs = at;
          queueId = str(p, 'queueId');
        }
        folio ??= str(p, 'folio');
        channelKind ??= 'voice';
        break;
      case 'conversation.offered':
        offeredAtMs ??= at;
        break;
      case 'conversation.assigned': {
        const agentId = str(p, 'agentId');
        assignedAtMs ??= at;
        offeredAtMs ??= at;
        channelClass ??= str(p, 'channelClass');
        addAgent(agentId);
        if (agentId !== null) textTalk.start(agentId, at);
        break;
      }
      case 'conversation.released': {
        const agentId = str(p, 'agentId');
        if (agentId !== null) textTalk.stop(agentId, at);
        break;
      }
      case 'conversation.transferred': {
        conversationTransfers += 1;
        const from = str(p, 'fromAgentId');
        if (from !== null) textTalk.stop(from, at);
        if (p['kind'] === 'tier2' && !tier2Transferred) {
          tier2Transferred = true;
          tier2Reason = str(p, 'reason');
        }
        break;
      }
      case 'call.transferred':
        callTransfers += 1;
        if (p['target'] === 'tier2' && !tier2Transferred) {
          tier2Transferred = true;
          tier2Reason = str(p, 'reason');
        }
        break;
      case 'conversation.resolved':
        resolvedAtMs = at;
        textTalk.stopAll(at);
        break;
      case 'conversation.abandoned':
        if (assignedAtMs === null && connectedAtMs === null && abandonedAtMs === null) {
          abandonedAtMs = at;
          const waited = p['waitedMs'];
          abandonWaitMs = typeof waited === 'number' && waited >= 0 ? waited : null;
        }
        textTalk.stopAll(at);
        break;
      case 'call.left_queue':
        if (p['result'] !== 'bridged' && assignedAtMs === null && connectedAtMs === null && abandonedAtMs === null) {
          abandonedAtMs = at;
        }
        break;
      case 'call.agent_connected': {
        const agentId = str(p, 'agentId') ?? 'unknown';
        connectedAtMs ??= at;
        addAgent(str(p, 'agentId'));
        voiceTalk.start(agentId, at);
        break;
      }
      case 'call.hold':
        hold.start('caller', at, str(p, 'agentId') ?? voiceTalk.openKeys()[0] ?? 'unknown');
        break;
      case 'call.unhold':
        hold.stop('caller', at);
        break;
      case 'call.agent_left':
        voiceTalk.stop(str(p, 'agentId') ?? 'unknown', at);
        break;
      case 'call.ended':
        voiceTalk.stopAll(at);
        hold.stopAll(at);
        break;
      case 'message.queued':
        if (event.actorType === 'agent') firstResponseAtMs ??= at;
        break;
      case 'call.survey_started':
        surveyOffered = true;
        break;
      case 'call.survey_completed':
      case 'survey.answered':
        surveyOffered = true;
        surveyAnswered = true;
        break;
      default:
        break;
    }
  }
  const isCall = connectedAtMs !== null || channelKind === 'voice';
  const answeredAtMs = isCall ? (connectedAtMs ?? assignedAtMs) : assignedAtMs;
  if (abandonedAtMs !== null && abandonWaitMs === null && receivedAtMs !== null) abandonWaitMs = Math.max(0, abandonedAtMs - receivedAtMs);
  const voiceCounted = isCall && connectedAtMs !== null;
  const talkClass: AgentSegment['channelClass'] = voiceCounted || channelClass === 'voice' ? 'voice' : channelClass === 'email' ? 'email' : 'text';
  const segments: AgentSegment[] = [
    ...(voiceCounted ? voiceTalk : textTalk).closed.map((span) => ({ agentId: span.owner, kind: 'talk' as const, channelClass: talkClass, startedAtMs: span.startMs, endedAtMs: span.endMs })),
    ...hold.closed.map((span) => ({ agentId: span.owner, kind: 'hold' as const, channelClass: 'voice' as const, startedAtMs: span.startMs, endedAtMs: span.endMs })),
  ];
  return {
    conversationId,
    campaignId,
    channelId,
    channelKind,
    channelClass,
    folio,
    queueId,
    receivedAtMs,
    offeredAtMs,
    answeredAtMs,
    answerWaitMs: answeredAtMs !== null && receivedAtMs !== null ? Math.max(0, answeredAtMs - receivedAtMs) : null,
    abandonedAtMs,
    abandonWaitMs,
    firstResponseAtMs,
    resolvedAtMs,
    talkMs: voiceCounted ? voiceTalk.total : textTalk.total,
    holdMs: hold.total,
    transfers: conversationTransfers > 0 ? conversationTransfers : callTransfers,
    tier2Transferred,
    tier2Reason,
    surveyOffered,
    surveyAnswered,
    firstAgentId: agentIds[0] ?? null,
    agentIds,
    updatedFromEventId: lastId,
    contactId,
    openedAtMs: openedAtMs ?? sorted[0]?.occurredAtMs ?? null,
    reopened,
    segments,
  };
}
