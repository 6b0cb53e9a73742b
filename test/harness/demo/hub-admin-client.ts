/**
 * The few admin API calls the channels demo makes, with errors a person at a terminal can act
 * on (the hub is not running, the login was refused, the hub does not offer a channel kind).
 */

/** A failure the demo explains and stops (or skips a channel) on; never a stack trace. */
export class DemoError extends Error {
  constructor(
    message: string,
    /** Only this channel cannot be set up; the others go on. */
    readonly channelOnly = false,
  ) {
    super(message);
    this.name = 'DemoError';
  }
}

export interface ChannelSpec {
  kind: 'whatsapp' | 'sms' | 'meta' | 'x';
  name: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
}

export interface StoredChannel {
  id: string;
  kind: string;
  name: string;
  webhookPath: string;
  settings: Record<string, unknown>;
  /** It existed from an earlier run and was updated, not created. */
  reused: boolean;
}

export interface HubAdmin {
  url: string;
  campaignId: string;
  campaignName: string;
  upsertChannel(spec: ChannelSpec): Promise<StoredChannel>;
}

const START_HINT = 'inícielo en otra terminal con «npm run demo» / start it in another terminal with `npm run demo`';

/** Logs in as the admin and finds the campaign by name (case and accents as typed in the seed). */
export async function connectHubAdmin(input: { url: string; adminEmail: string; password: string; campaign: string }): Promise<HubAdmin> {
  const url = input.url.replace(/\/+$/, '');
  const call = async (path: string, init: RequestInit = {}, token?: string): Promise<{ status: number; body: unknown }> => {
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, {
        ...init,
        headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error && 'code' in error.cause ? String(error.cause.code) : error instanceof Error ? error.name : 'error';
      throw new DemoError(`No hay un hub respondiendo en ${url} (${cause}): ${START_HINT}. / No hub answers at ${url}.`);
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page): shown as text.
    }
    return { status: res.status, body };
  };

  const login = await call('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email: input.adminEmail, password: input.password }) });
  if (login.status === 401 || login.status === 403) {
    throw new DemoError(
      `El hub rechazó el inicio de sesión de ${input.adminEmail} (${login.status}: ${errorText(login.body)}). ¿Es la contraseña de la demo (DEMO_PASSWORD en hub/src/seed/demo-seed.ts) y el hub de «npm run demo»? / Login refused for ${input.adminEmail}.`,
    );
  }
  const token = field(login.body, 'accessToken');
  if (login.status !== 200 || !token) throw new DemoError(`Inicio de sesión fallido (${login.status}): ${errorText(login.body)} / login failed.`);

  const campaigns = await call('/api/v1/campaigns', {}, token);
  if (campaigns.status !== 200) throw new DemoError(`No se pudieron leer las campañas (${campaigns.status}): ${errorText(campaigns.body)} / could not list campaigns.`);
  const items = listOf(campaigns.body);
  const wanted = fold(input.campaign);
  const campaign = items.find((c) => fold(field(c, 'name') ?? '') === wanted || fold(field(c, 'slug') ?? '') === wanted);
  const campaignId = campaign ? field(campaign, 'id') : undefined;
  if (!campaign || !campaignId) {
    const names = items.map((c) => field(c, 'name')).filter(Boolean).join(', ') || '—';
    throw new DemoError(`No existe la campaña «${input.campaign}» para ${input.adminEmail} (hay: ${names}). ¿Sembró la demo con «npm run demo»? / No campaign "${input.campaign}".`);
  }

  return {
    url,
    campaignId,
    campaignName: field(campaign, 'name') ?? input.campaign,
    async upsertChannel(spec) {
      const listed = await call(`/api/v1/campaigns/${campaignId}/channels`, {}, token);
      if (listed.status !== 200) throw new DemoError(`No se pudieron leer los canales (${listed.status}): ${errorText(listed.body)} / could not list channels.`);
      const existing = listOf(listed.body).find((c) => field(c, 'name') === spec.name && field(c, 'kind') === spec.kind);
      const existingId = existing ? field(existing, 'id') : undefined;
      // A second run: the harness listens on a new port, so the base URLs (and the credentials,
      // in case someone edited them in the console) are written again.
      const saved = existingId
        ? await call(`/api/v1/channels/${existingId}`, { method: 'PATCH', body: JSON.stringify({ enabled: true, settings: spec.settings, secrets: spec.secrets }) }, token)
        : await call(`/api/v1/campaigns/${campaignId}/channels`, { method: 'POST', body: JSON.stringify({ kind: spec.kind, name: spec.name, settings: spec.settings, secrets: spec.secrets }) }, token);
      if (saved.status !== 200 && saved.status !== 201) {
        const message = errorText(saved.body);
        if (saved.status === 400 && /desconocid|unknown channel kind/i.test(message)) {
          throw new DemoError(`Este hub no ofrece canales «${spec.kind}» (${message}); se omite «${spec.name}». / This hub has no "${spec.kind}" channels.`, true);
        }
        throw new DemoError(`El hub no aceptó el canal «${spec.name}» (${saved.status}: ${message}) / the hub refused the channel.`, true);
      }
      const id = field(saved.body, 'id');
      if (!id) throw new DemoError(`Respuesta inesperada al guardar «${spec.name}» / unexpected answer saving the channel.`, true);
      const settings = isRecord(saved.body) && isRecord(saved.body['settings']) ? saved.body['settings'] : {};
      return { id, kind: spec.kind, name: spec.name, webhookPath: field(saved.body, 'webhookPath') ?? `/webhooks/${spec.kind}/${id}`, settings, reused: Boolean(existingId) };
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, name: string): string | undefined {
  const found = isRecord(value) ? value[name] : undefined;
  return typeof found === 'string' ? found : undefined;
}

function listOf(body: unknown): Record<string, unknown>[] {
  const items = isRecord(body) ? body['items'] : undefined;
  return Array.isArray(items) ? items.filter(isRecord) : [];
}

/** The hub's error envelope `{ error: { code, message } }`, or whatever came back. */
function errorText(body: unknown): string {
  const error = isRecord(body) ? body['error'] : undefined;
  if (isRecord(error)) return [field(error, 'code'), field(error, 'message')].filter(Boolean).join(' ');
  return (typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 300);
}

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase();
}
