import { describe, expect, it } from 'vitest';
import { participantFlags } from '../../../hub/src/voice/supervision/supervision-modes.js';
import type { CloudConference, CloudParticipant } from '../../harness/twilio-voice/index.js';
import { audibility, beepsOn, beepSetting } from '../../harness/twilio-voice/rest/audibility.js';

function participant(callSid: string, over: Partial<CloudParticipant> = {}): CloudParticipant {
  return { callSid, label: null, hold: false, muted: false, coaching: false, callSidToCoach: null, startConferenceOnEnter: true, endConferenceOnExit: false, beep: 'true', via: 'api', joinedAt: 0, ...over };
}

function room(status: CloudConference['status'], ...people: CloudParticipant[]): CloudConference {
  return {
    sid: 'CF00000000000000000000000000000000',
    name: 'sala',
    status,
    participants: new Map(people.map((p) => [p.callSid, p])),
    history: people.map((p) => p.callSid),
    statusCallback: null,
    statusCallbackEvents: new Set(),
    sequence: 0,
    createdAt: 0,
    reasonEnded: null,
    callSidEndingConference: null,
    beeps: [],
    audio: [],
  };
}

describe('the harness’s who-hears-whom (Twilio conference rules) and the modes’ participant flags', () => {
  const caller = participant('CAcaller');
  const agent = participant('CAagent');

  it('monitor (muted): hears everyone, heard by nobody', () => {
    const sup = participant('CAsup', participantFlags('monitor', 'CAagent'));
    expect(audibility(room('in-progress', caller, agent, sup))).toEqual({ CAcaller: ['CAagent'], CAagent: ['CAcaller'], CAsup: ['CAcaller', 'CAagent'] });
  });

  it('whisper (coach): heard only by the agent coached; a coach needs the call to coach', () => {
    const sup = participant('CAsup', { ...participantFlags('whisper', 'CAagent'), callSidToCoach: 'CAagent' });
    expect(audibility(room('in-progress', caller, agent, sup))).toEqual({ CAcaller: ['CAagent'], CAagent: ['CAcaller', 'CAsup'], CAsup: ['CAcaller', 'CAagent'] });
    expect(() => participantFlags('whisper', null)).toThrow(/agent leg/);
  });

  it('barge: everyone hears everyone; leaving whisper switches coaching off explicitly', () => {
    expect(participantFlags('barge', 'CAagent')).toEqual({ muted: false, coaching: false });
    expect(participantFlags('monitor', 'CAagent')).toEqual({ muted: true, coaching: false });
    const sup = participant('CAsup', participantFlags('barge', null));
    expect(audibility(room('in-progress', caller, agent, sup))['CAcaller']).toEqual(['CAagent', 'CAsup']);
  });

  it('hold and a conference not started: hold music or wait music, nobody heard', () => {
    const held = participant('CAcaller', { hold: true });
    expect(audibility(room('in-progress', held, agent))).toEqual({ CAcaller: [], CAagent: [] });
    expect(audibility(room('init', caller, agent))).toEqual({ CAcaller: [], CAagent: [] });
  });

  it('beep: Twilio’s default beeps both ways; false never; onEnter / onExit one way', () => {
    expect(beepSetting(undefined)).toBe('true');
    expect(beepSetting('false')).toBe('false');
    expect([beepsOn('true', 'enter'), beepsOn('true', 'exit'), beepsOn('false', 'enter'), beepsOn('onEnter', 'exit'), beepsOn('onExit', 'exit')]).toEqual([true, true, false, false, true]);
  });
});
