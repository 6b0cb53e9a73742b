/**
 * The mixed inbound profile of the system load test: seed-digest §10's "suggested benchmark
 * profile" turned into per-channel rates, times `scale`. Pure, so the arithmetic printed in the
 * report is the arithmetic the run used.
 */

/** The 12-hour service window (08:00–20:00) over a 30-day month, in seconds: 30 × 12 × 3,600. */
export const MONTH_WINDOW_SECONDS = 30 * 12 * 3600;
/** The same window over one day. */
export const DAY_WINDOW_SECONDS = 12 * 3600;

/** Seed-digest §10 figures (×1). */
export const SEED = {
  /** "~30 text agents with ≤5 sessions each, giving ~120–150 concurrent chats": the midpoint. */
  concurrentChats: 135,
  /** Share of the chats on the web chat widget; the rest on WhatsApp (the seed's "social" minutes are small, WhatsApp is the growth channel). */
  webchatShare: 0.6,
  smsPerMonth: 50_000,
  emailsPerDay: 60_000,
  voiceAgentMinutesPerMonth: 4_000_000,
  /** Average handle time of a call, seconds (Velatorios, §10: AHT 4:41). */
  callAhtSeconds: 281,
  /** Webhooks one simulated call posts: incoming (IVR), the menu choice, the final status callback. */
  eventsPerCall: 3,
} as const;

export interface ChannelLoad {
  /** Closed loop: this many citizens converse at once (a closed conversation is replaced by a new citizen). */
  webchatCitizens: number;
  whatsappCitizens: number;
  /** Open loop: new conversations per second. */
  smsConversationsPerSecond: number;
  emailsPerSecond: number;
  callsPerSecond: number;
  /** Voice webhooks per second (calls × events per call). */
  voiceEventsPerSecond: number;
  /** Citizen messages per SMS conversation (each answered by the agent). */
  smsMessagesPerConversation: number;
  /** The arithmetic, one line per channel, for the report. */
  arithmetic: string[];
}

export function channelLoad(scale: number): ChannelLoad {
  const chats = SEED.concurrentChats * scale;
  const webchatCitizens = Math.max(1, Math.round(chats * SEED.webchatShare));
  const whatsappCitizens = Math.max(1, Math.round(chats - webchatCitizens));
  const smsMessagesPerConversation = 2;
  // An SMS conversation moves 2 citizen messages and 2 replies: 4 of the month's SMS.
  const smsPerSecond = (SEED.smsPerMonth * scale) / MONTH_WINDOW_SECONDS;
  const smsConversationsPerSecond = smsPerSecond / (smsMessagesPerConversation * 2);
  const emailsPerSecond = (SEED.emailsPerDay * scale) / DAY_WINDOW_SECONDS;
  const concurrentCalls = (SEED.voiceAgentMinutesPerMonth * scale) / (MONTH_WINDOW_SECONDS / 60);
  const callsPerSecond = concurrentCalls / SEED.callAhtSeconds;
  const f = (v: number, d = 2) => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  return {
    webchatCitizens,
    whatsappCitizens,
    smsConversationsPerSecond,
    emailsPerSecond,
    callsPerSecond,
    voiceEventsPerSecond: callsPerSecond * SEED.eventsPerCall,
    smsMessagesPerConversation,
    arithmetic: [
      `Chat: ~120–150 concurrent chats → ${SEED.concurrentChats} (midpoint) × ${scale} = ${f(chats, 0)} citizens conversing at once (closed loop): ${webchatCitizens} on the web chat widget (${SEED.webchatShare * 100} %), ${whatsappCitizens} on WhatsApp.`,
      `SMS: ${SEED.smsPerMonth.toLocaleString('en-US')}/month × ${scale} ÷ ${MONTH_WINDOW_SECONDS.toLocaleString('en-US')} s (30 days × 12 h) = ${f(smsPerSecond, 3)} SMS/s in + out; ${smsMessagesPerConversation} citizen messages + ${smsMessagesPerConversation} replies per conversation → ${f(smsConversationsPerSecond, 3)} new SMS conversations/s.`,
      `E-mail: ${SEED.emailsPerDay.toLocaleString('en-US')}/day × ${scale} ÷ ${DAY_WINDOW_SECONDS.toLocaleString('en-US')} s (12 h) = ${f(emailsPerSecond)} inbound e-mails/s, each answered once and resolved (the seed's 60k/day is DIR's mass-mail figure; driving it inbound is the heavier reading).`,
      `Voice: ${SEED.voiceAgentMinutesPerMonth.toLocaleString('en-US')} agent-min/month × ${scale} ÷ ${(MONTH_WINDOW_SECONDS / 60).toLocaleString('en-US')} min = ${f(concurrentCalls, 0)} concurrent calls; ÷ AHT ${SEED.callAhtSeconds} s = ${f(callsPerSecond)} calls/s × ${SEED.eventsPerCall} webhooks per call = ${f(callsPerSecond * SEED.eventsPerCall)} voice events/s.`,
    ],
  };
}
