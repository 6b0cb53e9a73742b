import type { AdminChannel } from './admin-types.js';
import { apiFormToSettings, apiSettingsToForm, type ApiSettingsForm } from './channels/api-settings-form.js';
import { emailFormToSecrets, emailFormToSettings, emailSettingsToForm, emailWarnings, type EmailSettingsForm } from './channels/email-settings-form.js';
import { isMessagingKind, messagingFormToSecrets, messagingFormToSettings, messagingSettingsToForms, messagingWarnings, validateMessagingForm, type MessagingForms } from './channels/messaging-channel-form.js';
import type { Settings } from './channels/settings-read.js';
import { voiceFormToSettings, voiceSettingsToForm, voiceWarnings, validateVoiceForm, type VoiceSettingsForm } from './channels/voice-settings-form.js';
import { typedSecrets } from './channels/provided-secrets.js';
import { webchatFormToSettings, webchatSettingsToForm, webchatWarnings, type WebchatSettingsForm } from './channels/webchat-settings-form.js';
import type { ClientProblems } from './form-problems.js';

/**
 * The channel editor: name, state, and the settings of its kind. Each kind's fields are written
 * over the stored settings (`base`), so keys the form does not show are kept: PATCH replaces
 * `settings` whole. A new channel keeps all three kinds' fields, so switching kind loses nothing.
 */
export interface ChannelForm {
  kind: string;
  name: string;
  enabled: boolean;
  base: Settings;
  api: ApiSettingsForm;
  webchat: WebchatSettingsForm;
  email: EmailSettingsForm;
  /** WhatsApp, SMS, Messenger/Instagram, X and WhatsApp Web (issue 6). */
  messaging: MessagingForms;
  /** Twilio Voice (issue 8). */
  voice: VoiceSettingsForm;
}

export function emptyChannelForm(kind = 'api'): ChannelForm {
  return { kind, name: '', enabled: true, base: {}, api: apiSettingsToForm({}), webchat: webchatSettingsToForm({}), email: emailSettingsToForm({}), messaging: messagingSettingsToForms({}), voice: voiceSettingsToForm({}) };
}

export function channelToForm(channel: AdminChannel): ChannelForm {
  const settings = channel.settings;
  return {
    kind: channel.kind,
    name: channel.name,
    enabled: channel.enabled,
    base: settings,
    api: apiSettingsToForm(settings),
    webchat: webchatSettingsToForm(settings),
    email: emailSettingsToForm(settings),
    messaging: messagingSettingsToForms(settings),
    voice: voiceSettingsToForm(settings),
  };
}

export function formToSettings(form: ChannelForm): Settings {
  if (isMessagingKind(form.kind)) return messagingFormToSettings(form.kind, form.messaging, form.base);
  switch (form.kind) {
    case 'api':
      return apiFormToSettings(form.api, form.base);
    case 'webchat':
      return webchatFormToSettings(form.webchat, form.base);
    case 'email':
      return emailFormToSettings(form.email, form.base);
    case 'voice':
      return voiceFormToSettings(form.voice, form.base);
    default:
      // A kind this console does not know: its settings go back untouched.
      return form.base;
  }
}

/** The secrets to send with a save: only passwords typed in this session, only for kinds whose admin provides them. */
export function formToSecrets(form: ChannelForm): Record<string, string> | undefined {
  if (isMessagingKind(form.kind)) return messagingFormToSecrets(form.kind, form.messaging);
  if (form.kind === 'voice') return typedSecrets(form.voice.secrets);
  return form.kind === 'email' ? emailFormToSecrets(form.email) : undefined;
}

/** Legal values that are probably not meant (low contrast, a template variable the hub does not fill). */
export function channelWarnings(form: ChannelForm, secretsSet: readonly string[] = []): ClientProblems {
  if (form.kind === 'voice') return voiceWarnings(form.voice, secretsSet);
  if (form.kind === 'webchat') return webchatWarnings(form.webchat);
  if (form.kind === 'email') return emailWarnings(form.email);
  if (isMessagingKind(form.kind)) return messagingWarnings(form.kind, form.messaging);
  return {};
}

/**
 * The messaging kinds' own checks (identifiers, URLs, credentials, the template catalogue),
 * added to `validateChannel`'s name check by the channel editor.
 */
export function messagingProblems(form: ChannelForm, secretsSet: readonly string[]): ClientProblems {
  return isMessagingKind(form.kind) ? validateMessagingForm(form.kind, form.messaging, secretsSet) : {};
}

/** The voice channel's own checks (SIDs, the caller id, ranges, the auth token), added like messagingProblems. */
export function voiceProblems(form: ChannelForm, secretsSet: readonly string[]): ClientProblems {
  return form.kind === 'voice' ? validateVoiceForm(form.voice, secretsSet) : {};
}
