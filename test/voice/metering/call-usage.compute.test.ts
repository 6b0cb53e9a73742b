import { describe, expect, it } from 'vitest';
import { computeCallUsage, type MeteredCallKind, type MeteringEvent, type UsageSegment } from '../../../hub/src/voice/metering/call-usage.compute.js';

/**
 * Issue 8 item 9: usage facts right to the second, from the call events alone. Every expected
 * figure below is worked out by hand from the event times (seconds after T0, with milliseconds);
 * each segment is floored to whole seconds after subtracting holds in milliseconds.
 */
const T0 = Date.parse('2026-03-02T16:00:00.000Z');
const AGENT_A = '7c1e9a52-1b7c-4d35-9a0e-3f1b2c4d5e6f';
const AGENT_B = '0f6b8e21-4c9d-4a7e-8b1f-2a3c4d5e6f70';
const CALL = 'CA0123456789abcdef0123456789abcdef';

const ev = (seconds: number, type: string, data: Record<string, string> = {}): MeteringEvent => ({ at: T0 + Math.round(seconds * 1000), type, data });
const usage = (events: MeteringEvent[], kind: MeteredCallKind = 'inbound') => computeCallUsage({ callSid: CALL, kind, startedAt: new Date(T0 - 5000), endedAt: null, events });
/** concept, quantity, agent and seat of every segment, in the order they are stored. */
const brief = (segments: UsageSegment[]) => segments.map((s) => [s.concept, s.quantity, s.agentId, s.seatType]);
const ended = (seconds: number, duration: string) => [ev(seconds, 'status', { status: 'completed', duration }), ev(seconds, 'ended', { status: 'completed', duration })];

describe('call usage from call events', () => {
  it('an IVR-only call is IVR time from incoming to the end, floored; Twilio agrees within 2 s', () => {
    const { segments, summary } = usage([ev(0, 'incoming'), ev(5.3, 'ivr_input', { node: 'menu', digits: '3' }), ev(5.4, 'ivr_outcome', { outcome: 'hangup' }), ...ended(20.7, '21')]);
    expect(brief(segments)).toEqual([['ivr_seconds', 20, null, null]]);
    expect(segments[0]?.durationMs).toBe(20_700);
    expect(segments[0]?.startedAt.toISOString()).toBe('2026-03-02T16:00:00.000Z');
    expect(segments[0]?.endedAt.toISOString()).toBe('2026-03-02T16:00:20.700Z');
    expect(summary).toMatchObject({ ourMs: 20_700, ourSeconds: 20, twilioSeconds: 21, differenceSeconds: -1, mismatch: false });
  });

  it('queued then abandoned: IVR until enqueued, queue until the caller left the line', () => {
    const { segments, summary } = usage([
      ev(0, 'incoming'),
      ev(12.5, 'enqueued', { queueName: 'citas' }),
      ev(13, 'wait_announced', { position: '2' }),
      ev(47.9, 'left_queue', { result: 'hangup' }),
      ...ended(48.2, '48'),
    ]);
    expect(brief(segments)).toEqual([
      ['ivr_seconds', 12, null, null],
      ['queue_seconds', 35, null, null],
    ]);
    expect(segments[1]?.durationMs).toBe(35_400);
    expect(summary).toMatchObject({ ourSeconds: 48, twilioSeconds: 48, differenceSeconds: 0, mismatch: false });
  });

  const talkWithTwoHolds = [
    ev(0, 'incoming'),
    ev(10, 'enqueued', { queueName: 'citas' }),
    ev(29.5, 'left_queue', { result: 'bridged' }),
    ev(30, 'agent_connected', { agentId: AGENT_A, seatType: 'PS-I', agentCallSid: 'CAa' }),
    ev(60, 'hold', { agentId: AGENT_A }),
    ev(75.5, 'unhold', { agentId: AGENT_A }),
    ev(100, 'hold', { agentId: AGENT_A }),
    ev(110.2, 'unhold', { agentId: AGENT_A }),
    ev(200.9, 'agent_left', { agentId: AGENT_A, reason: 'hangup' }),
    ...ended(205, '205'),
  ];

  it('talk with two holds: talk is the connected span minus both holds; each hold is its own fact', () => {
    const { segments } = usage(talkWithTwoHolds);
    // queue 10 → 29.5 (left the line as it was bridged, before agent_connected) = 19.5 s → 19.
    // talk 30 → 200.9 = 170.9 s − holds (15.5 + 10.2 = 25.7 s) = 145.2 s → 145.
    expect(brief(segments)).toEqual([
      ['ivr_seconds', 10, null, null],
      ['queue_seconds', 19, null, null],
      ['talk_seconds', 145, AGENT_A, 'PS-I'],
      ['hold_seconds', 15, AGENT_A, 'PS-I'],
      ['hold_seconds', 10, AGENT_A, 'PS-I'],
    ]);
    expect(segments.find((s) => s.concept === 'talk_seconds')?.durationMs).toBe(145_200);
    expect(segments.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('events stored out of order, or some stored twice, give the same facts as in order', () => {
    const shuffled = [...talkWithTwoHolds].reverse();
    const swapped = [talkWithTwoHolds[5], talkWithTwoHolds[0], talkWithTwoHolds[8], talkWithTwoHolds[3], talkWithTwoHolds[9], talkWithTwoHolds[1]];
    expect(usage(shuffled)).toEqual(usage(talkWithTwoHolds));
    expect(usage([...swapped.filter((e) => e !== undefined), ...talkWithTwoHolds])).toEqual(usage(talkWithTwoHolds));
  });

  it('a transfer from a PS-I agent to a PS-P agent bills each agent at their seat type', () => {
    const { segments } = usage([
      ev(0, 'incoming'),
      ev(5, 'enqueued', { queueName: 'citas' }),
      ev(20, 'agent_connected', { agentId: AGENT_A, seatType: 'PS-I' }),
      ev(80, 'transferred', { agentId: AGENT_A, target: 'tier2', targetId: 'q2' }),
      ev(85, 'agent_connected', { agentId: AGENT_B, seatType: 'PS-P' }),
      ev(90, 'agent_left', { agentId: AGENT_A, reason: 'transfer' }),
      ev(100, 'hold', { agentId: AGENT_B }),
      ev(110, 'unhold', { agentId: AGENT_B }),
      ev(150.5, 'agent_left', { agentId: AGENT_B, reason: 'hangup' }),
      ...ended(151, '151'),
    ]);
    // A: 20 → 90 = 70 s. B: 85 → 150.5 = 65.5 s − 10 s hold = 55.5 → 55.
    expect(brief(segments)).toEqual([
      ['ivr_seconds', 5, null, null],
      ['queue_seconds', 15, null, null],
      ['talk_seconds', 70, AGENT_A, 'PS-I'],
      ['talk_seconds', 55, AGENT_B, 'PS-P'],
      ['hold_seconds', 10, AGENT_B, 'PS-P'],
    ]);
  });

  it('voicemail: the recording duration and one voicemail, even when the recording callback comes after the end and twice', () => {
    const { segments, summary } = usage([
      ev(0, 'incoming'),
      ev(8, 'enqueued', { queueName: 'citas' }),
      ev(20, 'voicemail_requested'),
      ev(20.5, 'left_queue', { result: 'leave' }),
      ev(21, 'voicemail_started', { outsideHours: 'false' }),
      ...ended(60, '60'),
      ev(61, 'voicemail_recorded', { recordingSid: 'RE1', duration: '37', url: 'https://x/RE1', outsideHours: 'false' }),
      ev(62, 'voicemail_recorded', { recordingSid: 'RE1', duration: '37', url: 'https://x/RE1', outsideHours: 'false' }),
    ]);
    expect(brief(segments)).toEqual([
      ['ivr_seconds', 8, null, null],
      ['queue_seconds', 12, null, null],
      ['voicemail_seconds', 37, null, null],
      ['voicemail', 1, null, null],
    ]);
    expect(segments[3]?.unit).toBe('message');
    expect(segments[2]?.detail).toEqual({ recordingSid: 'RE1', outsideHours: false });
    expect(segments[2]?.startedAt.toISOString()).toBe('2026-03-02T16:00:21.000Z');
    expect(summary.ourSeconds).toBe(60);
  });

  it('blaster: one message per recipient played, no IVR time for an outbound leg', () => {
    const { segments, summary } = usage(
      [
        ev(0, 'status', { status: 'in-progress' }),
        ev(1, 'blaster_played', { blastId: 'b1', recipientId: 'r1' }),
        ev(15, 'blaster_choice', { digits: '2', action: 'confirm' }),
        ev(16, 'blaster_played', { blastId: 'b1', recipientId: 'r1' }),
        ...ended(30.4, '30'),
      ],
      'blaster',
    );
    expect(brief(segments)).toEqual([['blaster_message', 1, null, null]]);
    expect(segments[0]?.unit).toBe('message');
    expect(summary).toMatchObject({ ourSeconds: 30, twilioSeconds: 30, mismatch: false });
  });

  it('a call-back is talk like any other, then the survey until it is completed', () => {
    const { segments, summary } = usage(
      [
        ev(0, 'status', { status: 'in-progress' }),
        ev(3, 'agent_connected', { agentId: AGENT_B, seatType: 'PS-P' }),
        ev(63.4, 'agent_left', { agentId: AGENT_B, reason: 'hangup' }),
        ev(64, 'survey_started'),
        ev(120.9, 'survey_completed', { answers: '3' }),
        ...ended(121, '121'),
      ],
      'callback',
    );
    expect(brief(segments)).toEqual([
      ['talk_seconds', 60, AGENT_B, 'PS-P'],
      ['survey_seconds', 56, null, null],
    ]);
    expect(summary.ourSeconds).toBe(121);
  });

  it('duplicate status callbacks: the first final one ends the call and gives Twilio’s figure', () => {
    const { segments, summary } = usage([
      ev(0, 'incoming'),
      ev(30.2, 'status', { status: 'completed', duration: '30', sequence: '3' }),
      ev(30.2, 'ended', { status: 'completed', duration: '30' }),
      ev(31.9, 'status', { status: 'completed', duration: '30', sequence: '3' }),
      ev(33, 'ended', { status: 'completed', duration: '30' }),
    ]);
    expect(brief(segments)).toEqual([['ivr_seconds', 30, null, null]]);
    expect(summary).toMatchObject({ ourMs: 30_200, twilioSeconds: 30, differenceSeconds: 0, mismatch: false });
  });

  it('an agent still connected or a hold still open at the end is closed at the end', () => {
    const { segments } = usage([ev(0, 'incoming'), ev(2, 'agent_connected', { agentId: AGENT_A, seatType: 'PS-I' }), ev(40, 'hold'), ...ended(50.5, '50')]);
    // IVR 0 → 2; talk 2 → 50.5 = 48.5 − hold 10.5 = 38; the hold without an agent id is the connected agent's.
    expect(brief(segments)).toEqual([
      ['ivr_seconds', 2, null, null],
      ['talk_seconds', 38, AGENT_A, 'PS-I'],
      ['hold_seconds', 10, AGENT_A, 'PS-I'],
    ]);
  });

  it('a difference of more than 2 s with Twilio is flagged; exactly 2 s is not; no CallDuration is not', () => {
    const base = [ev(0, 'incoming'), ev(10, 'enqueued'), ev(40, 'left_queue', { result: 'hangup' })];
    expect(usage([...base, ...ended(48.2, '44')]).summary).toMatchObject({ ourSeconds: 48, twilioSeconds: 44, differenceSeconds: 4, mismatch: true });
    expect(usage([...base, ...ended(48.2, '51')]).summary).toMatchObject({ differenceSeconds: -3, mismatch: true });
    expect(usage([...base, ...ended(48.2, '46')]).summary).toMatchObject({ differenceSeconds: 2, mismatch: false });
    expect(usage([...base, ev(48.2, 'ended', { status: 'completed', duration: '' })]).summary).toMatchObject({ twilioSeconds: null, differenceSeconds: null, mismatch: false });
  });
});
