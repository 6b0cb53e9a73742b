import type { ClientProblems } from '../form-problems.js';
import { metaFormToSettings, metaSettingsToForm, validateMetaForm, type MetaSettingsForm } from './meta-settings-form.js';
import { typedSecrets } from './provided-secrets.js';
import type { Settings } from './settings-read.js';
import { smsFormToSettings, smsSettingsToForm, validateSmsForm, type SmsSettingsForm } from './sms-settings-form.js';
import { validateWhatsAppForm, whatsappFormToSettings, whatsappSettingsToForm, whatsappWarnings, type WhatsAppSettingsForm } from './whatsapp-settings-form.js';
import { whatsappWebFormToSettings, whatsappWebSettingsToForm, type WhatsAppWebSettingsForm } from './whatsapp-web-settings-form.js';
import { validateXForm, xFormToSettings, xSettingsToForm, type XSettingsForm } from './x-settings-form.js';

/**
 * The messaging channels' part of the channel editor (issue 6), one form per kind, so
 * channel-form.ts only asks "is this a messaging kind?" and hands over.
 */
export const MESSAGING_KINDS = ['whatsapp', 'sms', 'meta', 'x', 'whatsapp_web'] as const;
export type MessagingKind = (typeof MESSAGING_KINDS)[number];

export function isMessagingKind(kind: string): kind is MessagingKind {
  return MESSAGING_KINDS.some((k) => k === kind);
}

export interface MessagingForms {
  whatsapp: WhatsAppSettingsForm;
  sms: SmsSettingsForm;
  meta: MetaSettingsForm;
  x: XSettingsForm;
  whatsappWeb: WhatsAppWebSettingsForm;
}

export function messagingSettingsToForms(settings: Settings): MessagingForms {
  return {
    whatsapp: whatsappSettingsToForm(settings),
    sms: smsSettingsToForm(settings),
    meta: metaSettingsToForm(settings),
    x: xSettingsToForm(settings),
    whatsappWeb: whatsappWebSettingsToForm(settings),
  };
}

export function messagingFormToSettings(kind: MessagingKind, forms: MessagingForms, base: Settings): Settings {
  switch (kind) {
    case 'whatsapp':
      return whatsappFormToSettings(forms.whatsapp, base);
    case 'sms':
      return smsFormToSettings(forms.sms, base);
    case 'meta':
      return metaFormToSettings(forms.meta, base);
    case 'x':
      return xFormToSettings(forms.x, base);
    case 'whatsapp_web':
      return whatsappWebFormToSettings(forms.whatsappWeb, base);
  }
}

/** The provider credentials typed in this session (write-only); undefined when none was. */
export function messagingFormToSecrets(kind: MessagingKind, forms: MessagingForms): Record<string, string> | undefined {
  switch (kind) {
    case 'whatsapp':
      return typedSecrets(forms.whatsapp.secrets);
    case 'sms':
      return typedSecrets(forms.sms.secrets);
    case 'meta':
      return typedSecrets(forms.meta.secrets);
    case 'x':
      return typedSecrets(forms.x.secrets);
    case 'whatsapp_web':
      return undefined;
  }
}

export function validateMessagingForm(kind: MessagingKind, forms: MessagingForms, secretsSet: readonly string[]): ClientProblems {
  switch (kind) {
    case 'whatsapp':
      return validateWhatsAppForm(forms.whatsapp, secretsSet);
    case 'sms':
      return validateSmsForm(forms.sms, secretsSet);
    case 'meta':
      return validateMetaForm(forms.meta, secretsSet);
    case 'x':
      return validateXForm(forms.x, secretsSet);
    case 'whatsapp_web':
      return {};
  }
}

export function messagingWarnings(kind: MessagingKind, forms: MessagingForms): ClientProblems {
  return kind === 'whatsapp' ? whatsappWarnings(forms.whatsapp) : {};
}
