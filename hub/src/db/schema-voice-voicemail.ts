// Issue 8: the voicemail part of the voice bridge (its migration adds the tables; list them here).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the voicemail tables
export interface VoiceVoicemailTables {}
