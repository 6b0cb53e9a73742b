import { interpolate, type Lang } from '../i18n/lang.js';

/** Texts of the TOTP second factor (login step, enrolment, «Seguridad»), Spanish first. */
const esMX = {
  codeTitle: 'Verificación en dos pasos',
  codeHelp: 'Escriba el código de 6 dígitos de su aplicación autenticadora.',
  code: 'Código de verificación',
  recoveryCode: 'Código de recuperación',
  recoveryHelp: 'Escriba uno de sus códigos de recuperación; cada uno sirve una sola vez.',
  useRecovery: 'Usar un código de recuperación',
  useApp: 'Usar el código de la aplicación',
  verify: 'Verificar',
  verifying: 'Verificando…',
  back: 'Volver',
  enrolTitle: 'Configure la verificación en dos pasos',
  enrolHelp: 'Su rol exige un segundo factor. Escanee el código QR con una aplicación autenticadora (p. ej. Google Authenticator, FreeOTP) y escriba el código que muestre.',
  qrAlt: 'Código QR para la aplicación autenticadora',
  manualSecret: 'Si no puede escanear, capture esta clave: {secret}',
  activate: 'Activar',
  codesTitle: 'Guarde sus códigos de recuperación',
  codesHelp: 'Cada código permite entrar una vez si pierde su teléfono. Se muestran solo ahora: guárdelos en un lugar seguro.',
  codesDone: 'Ya los guardé, continuar',
  security: 'Seguridad',
  statusOn: 'La verificación en dos pasos está activa. Códigos de recuperación sin usar: {left}.',
  statusOff: 'La verificación en dos pasos no está activa.',
  statusRequired: 'Su rol la exige; solo un administrador puede restablecerla.',
  start: 'Configurar',
  disable: 'Desactivar',
  disableHelp: 'Para desactivarla, confirme con su contraseña.',
  password: 'Contraseña',
  disabled: 'Se desactivó la verificación en dos pasos; se cerraron sus otras sesiones.',
  enabledOthers: 'Se activó la verificación en dos pasos; se cerraron sus otras sesiones.',
};

export type SecurityKey = keyof typeof esMX;

const en: Record<SecurityKey, string> = {
  codeTitle: 'Two-step verification',
  codeHelp: 'Enter the 6-digit code from your authenticator app.',
  code: 'Verification code',
  recoveryCode: 'Recovery code',
  recoveryHelp: 'Enter one of your recovery codes; each works only once.',
  useRecovery: 'Use a recovery code',
  useApp: 'Use the app code',
  verify: 'Verify',
  verifying: 'Verifying…',
  back: 'Back',
  enrolTitle: 'Set up two-step verification',
  enrolHelp: 'Your role requires a second factor. Scan the QR code with an authenticator app (e.g. Google Authenticator, FreeOTP) and enter the code it shows.',
  qrAlt: 'QR code for the authenticator app',
  manualSecret: 'If you cannot scan it, type this key: {secret}',
  activate: 'Turn on',
  codesTitle: 'Save your recovery codes',
  codesHelp: 'Each code lets you in once if you lose your phone. They are shown only now: keep them somewhere safe.',
  codesDone: 'I saved them, continue',
  security: 'Security',
  statusOn: 'Two-step verification is on. Unused recovery codes: {left}.',
  statusOff: 'Two-step verification is off.',
  statusRequired: 'Your role requires it; only an administrator can reset it.',
  start: 'Set up',
  disable: 'Turn off',
  disableHelp: 'To turn it off, confirm with your password.',
  password: 'Password',
  disabled: 'Two-step verification was turned off; your other sessions were ended.',
  enabledOthers: 'Two-step verification is on; your other sessions were ended.',
};

export function securityText(lang: Lang, key: SecurityKey, values?: Record<string, string | number>): string {
  const text = lang === 'en' ? en[key] : esMX[key];
  return values ? interpolate(text, values) : text;
}
