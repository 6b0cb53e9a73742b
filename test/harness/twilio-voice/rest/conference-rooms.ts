import type { CloudConference, CloudParticipant } from './cloud-types.js';
import { rfc2822, sid } from './rest-wire.js';
import type { Activity, WebhookPoster } from './cloud-runtime.js';
import { audibility, beepsOn } from './audibility.js';

/** Why a participant left, as Twilio's `ReasonParticipantLeft` names it. */
export type LeaveReason = 'participant_hung_up' | 'participant_updated_via_api' | 'participant_kicked';

export interface RoomHost {
  accountSid: string;
  poster: WebhookPoster;
  activity: Activity;
  /** The conference ended with these calls still in it: their <Dial> goes on, API legs hang up. */
  evicted(callSid: string, conference: CloudConference): void;
  /** A held participant hears the HoldUrl document. */
  playHold(callSid: string, holdUrl: string, method: 'GET' | 'POST'): Promise<void>;
}

export interface ParticipantChanges {
  hold?: boolean;
  muted?: boolean;
  coaching?: boolean;
  callSidToCoach?: string;
}

/** TwiML's short names (`join`) and the posted ones (`participant-join`) both select an event. */
const SHORT: Record<string, string> = {
  'conference-start': 'start',
  'conference-end': 'end',
  'participant-join': 'join',
  'participant-leave': 'leave',
  'participant-mute': 'mute',
  'participant-unmute': 'mute',
  'participant-hold': 'hold',
  'participant-unhold': 'hold',
  'participant-modify': 'modify',
};

/**
 * Twilio's conferences: created on demand by name (one active conference per friendly name),
 * started by the first participant with startConferenceOnEnter, ended when the last participant
 * leaves or one with endConferenceOnExit does. Events go to the status callback of the first
 * participant that named one (Twilio takes the conference's callback from that participant),
 * filtered by its event list, with Twilio's parameters and a SequenceNumber per conference.
 */
export class ConferenceRooms {
  readonly byName = new Map<string, CloudConference>();
  private readonly all: CloudConference[] = [];

  constructor(private readonly host: RoomHost) {}

  list(): CloudConference[] {
    return [...this.all];
  }

  /** By CF sid, else the active (or latest) conference with that friendly name. */
  find(nameOrSid: string): CloudConference | undefined {
    return this.all.find((c) => c.sid === nameOrSid) ?? this.byName.get(nameOrSid);
  }

  ensure(name: string): CloudConference {
    const existing = this.byName.get(name);
    if (existing && existing.status !== 'completed') return existing;
    const conference: CloudConference = {
      sid: sid('CF'),
      name,
      status: 'init',
      participants: new Map(),
      history: [],
      statusCallback: null,
      statusCallbackEvents: new Set(),
      sequence: 0,
      createdAt: Date.now(),
      reasonEnded: null,
      callSidEndingConference: null,
      beeps: [],
      audio: [],
    };
    this.byName.set(name, conference);
    this.all.push(conference);
    return conference;
  }

  useCallback(conference: CloudConference, url: string | undefined, events: Set<string>): void {
    if (!url || conference.statusCallback) return;
    conference.statusCallback = url;
    conference.statusCallbackEvents = events;
  }

  async join(conference: CloudConference, participant: CloudParticipant): Promise<void> {
    this.beep(conference, participant, 'enter');
    conference.participants.set(participant.callSid, participant);
    conference.history.push(participant.callSid);
    this.snapshot(conference, 'participant-join', participant.callSid);
    await this.event(conference, 'participant-join', participant);
    if (conference.status === 'init' && participant.startConferenceOnEnter) {
      conference.status = 'in-progress';
      this.snapshot(conference, 'conference-start', null);
      await this.event(conference, 'conference-start', null);
    }
  }

  /** Twilio beeps to the room (those not on hold) when a participant with `beep` enters or leaves. */
  private beep(conference: CloudConference, participant: CloudParticipant, on: 'enter' | 'exit'): void {
    const heardBy = [...conference.participants.values()].filter((p) => p.callSid !== participant.callSid && !p.hold).map((p) => p.callSid);
    if (beepsOn(participant.beep, on) && heardBy.length > 0) conference.beeps.push({ callSid: participant.callSid, on, heardBy, at: Date.now() });
  }

  private snapshot(conference: CloudConference, event: string, callSid: string | null): void {
    conference.audio.push({ at: Date.now(), event, callSid, hears: audibility(conference) });
  }

  /** The participant leaves (hang-up, kick, redirect); may end the conference for the others. */
  async leave(callSid: string, reason: LeaveReason, callStatus: string): Promise<void> {
    const conference = this.all.find((c) => c.participants.has(callSid));
    const participant = conference?.participants.get(callSid);
    if (!conference || !participant) return;
    conference.participants.delete(callSid);
    if (conference.status !== 'completed') this.beep(conference, participant, 'exit');
    this.snapshot(conference, 'participant-leave', callSid);
    await this.event(conference, 'participant-leave', participant, { ReasonParticipantLeft: reason, ParticipantCallStatus: callStatus });
    if (conference.status === 'completed') return;
    const kicked = reason === 'participant_kicked';
    if (participant.endConferenceOnExit && conference.status === 'in-progress') {
      await this.end(conference, kicked ? 'participant-with-end-conference-on-exit-kicked' : 'participant-with-end-conference-on-exit-left', participant);
    } else if (conference.participants.size === 0) {
      await this.end(conference, kicked ? 'last-participant-kicked' : 'last-participant-left', participant);
    }
  }

  async end(conference: CloudConference, reason: string, ending: CloudParticipant | null): Promise<void> {
    if (conference.status === 'completed') return;
    const started = conference.status === 'in-progress';
    conference.status = 'completed';
    conference.reasonEnded = reason;
    conference.callSidEndingConference = ending?.callSid ?? null;
    const remaining = [...conference.participants.values()];
    conference.participants.clear();
    this.snapshot(conference, 'conference-end', null);
    for (const participant of remaining) {
      await this.event(conference, 'participant-leave', participant, { ReasonParticipantLeft: 'participant_conference_ended', ParticipantCallStatus: 'in-progress' });
    }
    if (started) {
      await this.event(conference, 'conference-end', null, {
        ReasonConferenceEnded: reason,
        ...(ending ? { CallSidEndingConference: ending.callSid, ...(ending.label ? { ParticipantLabelEndingConference: ending.label } : {}) } : {}),
      });
    }
    for (const participant of remaining) this.host.evicted(participant.callSid, conference);
  }

  async update(conference: CloudConference, participant: CloudParticipant, changes: ParticipantChanges, holdUrl: string | undefined, holdMethod: 'GET' | 'POST'): Promise<void> {
    const before = { ...participant };
    if (changes.hold !== undefined) participant.hold = changes.hold;
    if (changes.muted !== undefined) participant.muted = changes.muted;
    if (changes.coaching !== undefined) participant.coaching = changes.coaching;
    if (changes.callSidToCoach !== undefined) participant.callSidToCoach = changes.callSidToCoach;
    this.snapshot(conference, 'participant-update', participant.callSid);
    if (before.muted !== participant.muted) await this.event(conference, participant.muted ? 'participant-mute' : 'participant-unmute', participant);
    if (before.hold !== participant.hold) {
      await this.event(conference, participant.hold ? 'participant-hold' : 'participant-unhold', participant);
      if (participant.hold && holdUrl) await this.host.playHold(participant.callSid, holdUrl, holdMethod);
    }
    if (before.coaching !== participant.coaching || before.callSidToCoach !== participant.callSidToCoach) await this.event(conference, 'participant-modify', participant);
  }

  private async event(conference: CloudConference, event: string, participant: CloudParticipant | null, extra: Record<string, string> = {}): Promise<void> {
    const url = conference.statusCallback;
    const wanted = conference.statusCallbackEvents;
    if (!url || !(wanted.has(SHORT[event] ?? event) || wanted.has(event))) return;
    conference.sequence += 1;
    const params: Record<string, string> = {
      AccountSid: this.host.accountSid,
      ConferenceSid: conference.sid,
      FriendlyName: conference.name,
      StatusCallbackEvent: event,
      SequenceNumber: String(conference.sequence),
      Timestamp: rfc2822(Date.now()),
      ...(participant
        ? {
            CallSid: participant.callSid,
            Muted: String(participant.muted),
            Hold: String(participant.hold),
            Coaching: String(participant.coaching),
            EndConferenceOnExit: String(participant.endConferenceOnExit),
            StartConferenceOnEnter: String(participant.startConferenceOnEnter),
            ...(participant.label ? { ParticipantLabel: participant.label } : {}),
            ...(participant.callSidToCoach ? { CallSidToCoach: participant.callSidToCoach } : {}),
          }
        : {}),
      ...extra,
    };
    await this.host.activity.track(() => this.host.poster.post('conference', participant?.callSid ?? '', url, params));
  }
}
