import type { HttpMethod, RoutePolicy } from './access-policy.types.js';
import { open, SESSION } from './role-sets.js';

const SIGNED = 'Firma del proveedor (HMAC sobre el cuerpo crudo), no roles / the provider signature (HMAC over the raw body), not roles';
const TWILIO = 'Firma X-Twilio-Signature sobre la URL exacta / X-Twilio-Signature over the exact URL';
const VISITOR = 'Token del visitante del widget + Origin permitido por el canal / the widget visitor token + an Origin the channel allows';
const PORTAL = 'Trámite probado con folio + secreto, con límite de intentos / a case proven by folio + secret, rate-limited';
const DOCS = 'Documentación de la API, sin datos / API documentation, no data';

function pub(method: HttpMethod, url: string, guard: Parameters<typeof open>[0], reason: string): RoutePolicy {
  return { method, url, access: open(guard, reason), campaign: 'global' };
}

const VOICE_WEBHOOKS = [
  'incoming', 'ivr/:node', 'wait', 'wait-choice', 'status',
  'agent/caller-join', 'agent/hold-music', 'agent/conference-status', 'agent/leg-status', 'agent/recording-status',
  'blaster/answer', 'blaster/choice', 'blaster/status',
  'voicemail/start', 'voicemail/done', 'voicemail/recording', 'queue/after',
  'callback/ivr', 'callback/answer', 'callback/status', 'survey/start', 'survey/answer', 'supervision/leg-status',
];

const MESSAGING_WEBHOOKS = ['api', 'x', 'whatsapp', 'meta', 'sms'];

/** Routes without a staff session: each says what proves the caller instead, and why it is open. */
export const PUBLIC_ROUTES: readonly RoutePolicy[] = [
  pub('GET', '/', 'none', 'Índice: enlaces a la documentación y a la salud / index: links to docs and health'),
  pub('GET', '/healthz', 'none', 'Sonda de vida del orquestador / liveness probe'),
  pub('GET', '/readyz', 'none', 'Sonda de disponibilidad: solo estado de dependencias / readiness probe: dependency status only'),
  pub('GET', '/metrics', 'none', 'Prometheus; se restringe por red o con METRICS_TOKEN (Bearer), no por sesión / Prometheus; restricted by network or by METRICS_TOKEN (Bearer), not by session'),
  pub('GET', '/api/docs', 'none', DOCS),
  pub('GET', '/api/docs/static/index.html', 'none', DOCS),
  pub('GET', '/api/docs/static/swagger-initializer.js', 'none', DOCS),
  pub('GET', '/api/docs/json', 'none', DOCS),
  pub('GET', '/api/docs/yaml', 'none', DOCS),
  pub('GET', '/api/docs/static/*', 'none', DOCS),
  pub('GET', '/api/v1/openapi.json', 'none', DOCS),
  ...MESSAGING_WEBHOOKS.flatMap((kind) => [
    pub('GET', `/webhooks/${kind}/:channelId`, 'signature', 'Verificación de suscripción del proveedor (token/desafío) / provider subscription check (token/challenge)'),
    pub('POST', `/webhooks/${kind}/:channelId`, 'signature', SIGNED),
  ]),
  ...VOICE_WEBHOOKS.map((path) => pub('POST', `/webhooks/voice/:channelId/${path}`, 'signature', TWILIO)),
  pub('OPTIONS', '/widget/v1/*', 'origin', 'Preflight CORS: solo Origin permitidos por algún canal / CORS preflight: only Origins some channel allows'),
  pub('GET', '/widget/v1/channels/:channelId/config', 'none', 'Apariencia pública del widget, por Origin permitido / public widget look, for an allowed Origin'),
  pub('POST', '/widget/v1/channels/:channelId/captcha', 'none', 'Reto anti-bots antes de abrir sesión / anti-bot challenge before a session'),
  pub('POST', '/widget/v1/channels/:channelId/sessions', 'none', 'Abre la sesión del visitante (captcha, límite por IP) / opens the visitor session (captcha, per-IP limit)'),
  pub('POST', '/widget/v1/channels/:channelId/leave-message', 'none', 'Mensaje fuera de horario (captcha, límite por IP) / after-hours message (captcha, per-IP limit)'),
  pub('GET', '/widget/v1/session', 'visitor-token', VISITOR),
  pub('POST', '/widget/v1/messages', 'visitor-token', VISITOR),
  pub('POST', '/widget/v1/end', 'visitor-token', VISITOR),
  pub('GET', '/widget/v1/transcript', 'visitor-token', VISITOR),
  pub('POST', '/widget/v1/transcript/email', 'visitor-token', VISITOR),
  pub('GET', '/widget/v1/survey', 'visitor-token', VISITOR),
  pub('POST', '/widget/v1/survey', 'visitor-token', VISITOR),
  pub('POST', '/widget/v1/files', 'visitor-token', VISITOR),
  pub('GET', '/widget/v1/files/:fileId', 'visitor-token', VISITOR),
  pub('POST', '/widget/v1/callbacks', 'visitor-token', VISITOR),
  pub('GET', '/u/*', 'signed-link', 'Baja de envíos masivos: el enlace firmado es la prueba (RFC 8058) / mass-mail unsubscribe: the signed link is the proof'),
  pub('POST', '/u/*', 'signed-link', 'Baja en un clic (RFC 8058) con el enlace firmado / one-click unsubscribe with the signed link'),
  pub('GET', '/portal/v1/procedures', 'none', 'Catálogo público de trámites / public catalogue of procedures'),
  pub('POST', '/portal/v1/cases', 'none', 'El ciudadano abre un trámite (límite por IP) / a citizen opens a case (per-IP limit)'),
  pub('GET', '/portal/v1/cases/:folio', 'folio-secret', PORTAL),
  pub('POST', '/portal/v1/cases/:folio/documents/:requirementId', 'folio-secret', PORTAL),
  pub('GET', '/portal/v1/cases/:folio/slots', 'folio-secret', PORTAL),
  pub('POST', '/portal/v1/cases/:folio/appointment', 'folio-secret', PORTAL),
  pub('POST', '/portal/v1/cases/:folio/appointment/confirm', 'folio-secret', PORTAL),
  pub('POST', '/portal/v1/cases/:folio/appointment/cancel', 'folio-secret', PORTAL),
  pub('GET', '/portal', 'none', 'Página del portal ciudadano / the citizen portal page'),
  pub('GET', '/portal/', 'none', 'Página del portal ciudadano / the citizen portal page'),
  pub('GET', '/portal/tramite/:folio', 'none', 'Página; los datos se piden con folio + secreto / the page; data needs folio + secret'),
  pub('GET', '/portal/assets/:file', 'none', 'Archivos estáticos del portal / portal static assets'),
  pub('GET', '/widget.js', 'none', 'El script del widget que embeben los sitios / the widget script sites embed'),
  pub('GET', '/widget-demo.html', 'none', 'Página de demostración del widget / the widget demo page'),
  pub('GET', '/assets/*', 'none', 'Archivos estáticos de la bandeja (sin datos) / inbox static bundles (no data)'),
  pub('POST', '/api/v1/auth/login', 'credentials', 'Correo y contraseña, con bloqueo por intentos / e-mail and password, with lockout'),
  pub('POST', '/api/v1/auth/refresh', 'credentials', 'El token de renovación es la prueba / the refresh token is the proof'),
  pub('POST', '/api/v1/auth/logout', 'credentials', 'Cierra la sesión del token de renovación dado / ends the given refresh token’s session'),
  pub('POST', '/api/v1/auth/login/totp', 'credentials', 'Segundo paso: reto del primer paso + código TOTP o de recuperación / step 2: the step-1 challenge + a TOTP or recovery code'),
  { method: 'GET', url: '/api/v1/auth/me', access: SESSION, campaign: 'own' },
  { method: 'POST', url: '/api/v1/auth/password', access: SESSION, campaign: 'own', note: 'Con la contraseña actual / with the current password' },
  { method: 'GET', url: '/api/v1/auth/totp', access: SESSION, campaign: 'own' },
  { method: 'POST', url: '/api/v1/auth/totp/setup', access: SESSION, campaign: 'own', note: 'O el reto de enrolamiento obligatorio / or the mandatory-enrolment challenge' },
  { method: 'POST', url: '/api/v1/auth/totp/enable', access: SESSION, campaign: 'own', note: 'O el reto de enrolamiento obligatorio / or the mandatory-enrolment challenge' },
  { method: 'POST', url: '/api/v1/auth/totp/disable', access: SESSION, campaign: 'own' },
];
