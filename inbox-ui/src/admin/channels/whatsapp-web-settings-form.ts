import { boolAt, type Settings } from './settings-read.js';

/** whatsapp-web.js (connectors/whatsapp-web): no credentials (the paired session is the credential), one choice. */
export interface WhatsAppWebSettingsForm {
  /** Off by default: a group message would open one conversation for the whole group. */
  acceptGroups: boolean;
}

export function whatsappWebSettingsToForm(settings: Settings): WhatsAppWebSettingsForm {
  return { acceptGroups: boolAt(settings, 'acceptGroups', false) };
}

export function whatsappWebFormToSettings(form: WhatsAppWebSettingsForm, base: Settings): Settings {
  return { ...base, acceptGroups: form.acceptGroups };
}
