import type { CloudConference, CloudParticipant } from './cloud-types.js';

/**
 * Who hears whom in a conference, as Twilio documents its participants: before the conference
 * starts everyone hears the wait music only; a held participant hears the hold music and is not
 * heard; a muted one hears everyone and nobody hears them; a coach (`coaching` with
 * `callSidToCoach`) is heard only by the participant coached. Everybody else hears everybody.
 * Returns, for each participant in the room, the call SIDs they hear (join order).
 */
export function audibility(conference: CloudConference): Record<string, string[]> {
  const inRoom = [...conference.participants.values()];
  const hears: Record<string, string[]> = {};
  for (const listener of inRoom) {
    hears[listener.callSid] = conference.status !== 'in-progress' || listener.hold ? [] : inRoom.filter((speaker) => heardBy(speaker, listener)).map((s) => s.callSid);
  }
  return hears;
}

function heardBy(speaker: CloudParticipant, listener: CloudParticipant): boolean {
  if (speaker.callSid === listener.callSid || speaker.hold || speaker.muted) return false;
  if (speaker.coaching) return speaker.callSidToCoach === listener.callSid;
  return true;
}

/** Twilio's `Beep`: on entering and leaving (`true`, the default), one of them, or never. */
export function beepsOn(beep: CloudParticipant['beep'], moment: 'enter' | 'exit'): boolean {
  return beep === 'true' || (moment === 'enter' ? beep === 'onEnter' : beep === 'onExit');
}

export function beepSetting(raw: string | undefined): CloudParticipant['beep'] {
  return raw === 'false' || raw === 'onEnter' || raw === 'onExit' ? raw : 'true';
}
