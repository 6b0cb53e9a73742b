import { localizedMessage } from '../../api/api-error.js';
import type { Lang } from '../../i18n/lang.js';
import type { SoftphoneState } from './softphone.controller.js';
import { softphoneText } from './softphone-messages.js';

/** The one line the aria-live region reads for a state ('' when there is nothing to say). */
export function softphoneStatusText(lang: Lang, state: SoftphoneState): string {
  switch (state.kind) {
    case 'idle':
      return '';
    case 'loading':
      return softphoneText(lang, 'loading');
    case 'elsewhere':
      return softphoneText(lang, 'elsewhere', { address: state.address });
    case 'not_configured':
      return softphoneText(lang, 'notConfigured', { message: localizedMessage(state.message, lang) });
    case 'registering':
      return softphoneText(lang, 'registering');
    case 'ready':
      return softphoneText(lang, 'ready');
    case 'incoming':
      return state.folio ? softphoneText(lang, 'incoming', { folio: state.folio }) : softphoneText(lang, 'incomingNoFolio', { from: state.from });
    case 'on_call':
      return state.folio ? softphoneText(lang, 'onCall', { folio: state.folio }) : softphoneText(lang, 'onCallNoFolio', { from: state.from });
    case 'error':
      switch (state.reason) {
        case 'microphone':
          return softphoneText(lang, 'errorMicrophone');
        case 'network':
          return softphoneText(lang, 'errorNetwork');
        case 'token':
          return softphoneText(lang, 'errorToken', { message: localizedMessage(state.message, lang) });
        case 'unknown':
          return softphoneText(lang, 'errorUnknown', { message: state.message });
      }
  }
}
