import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { hashPassword } from '../auth/password.js';
import { seedDemoAppointments } from './demo-appointments.js';
import type { Database, Role, SeatType } from '../db/schema.js';
import { seedDemoKnowledge } from '../inbox/demo-knowledge.js';
import { demoHolidayCalendars, demoSchedules } from '../router/calendar/demo-schedules.js';
import type { CampaignRoutingInput } from '../router/config/campaign-routing.schema.js';
import type { QueueConfigInput } from '../router/config/queue-config.schema.js';
import { syncAgentSeats } from '../router/store/agent-seats.js';

export const DEMO_PASSWORD = 'Demo-Ventanilla-2026';

interface DemoCampaign {
  slug: string;
  name: string;
  prefix: string;
  skills: string[];
  /** The first tier-1 queue is the campaign's default (where new conversations land). */
  queues: {
    name: string;
    priority: number;
    skills: Record<string, number>;
    tier?: 1 | 2;
    strategy?: QueueConfigInput['strategy'];
    maxWaitSeconds?: number;
    /** Overflow steps; `moveTo` names a queue of the same campaign. */
    overflow?: { afterSeconds?: number; estimatedWaitOverSeconds?: number; relaxLevels?: number; moveTo?: string }[];
    afterHours?: QueueConfigInput['afterHours'];
  }[];
  routing: Omit<CampaignRoutingInput, 'capacity'> & { capacity?: CampaignRoutingInput['capacity'] };
}

const AFTER_HOURS_CO: QueueConfigInput['afterHours'] = {
  mode: 'keep_queued',
  message: {
    es: 'Gracias por escribir a Contribuyentes. Nuestro horario es de lunes a viernes de 8:00 a 20:00 (hora del centro); conservamos su lugar y le atenderemos al abrir.',
    en: 'Thank you for writing. We answer Monday to Friday, 8:00–20:00 Mexico City time; we keep your place and will answer when we open.',
  },
};

const CAMPAIGNS: DemoCampaign[] = [
  {
    slug: 'derechohabientes',
    name: 'Derechohabientes',
    prefix: 'DH',
    skills: ['afiliacion_vigencia', 'citas_medicas', 'incapacidades', 'pensiones', 'segundo_nivel'],
    queues: [
      { name: 'Orientación general', priority: 50, skills: { afiliacion_vigencia: 1 } },
      // Long waits for an appointment overflow to general orientation (seed-digest §3.4).
      { name: 'Citas médicas', priority: 40, skills: { citas_medicas: 2 }, overflow: [{ estimatedWaitOverSeconds: 600, moveTo: 'Orientación general' }] },
      { name: 'Pensiones', priority: 30, skills: { pensiones: 3 }, overflow: [{ afterSeconds: 120, relaxLevels: 1 }, { afterSeconds: 300, relaxLevels: 1 }] },
      { name: 'Segundo nivel (PS-P)', priority: 20, skills: { segundo_nivel: 1 }, tier: 2 },
    ],
    // Social networks and WhatsApp: 24 h, 365 days (seed-digest §2.5).
    routing: { schedule: demoSchedules.socialNetworks, holidays: demoHolidayCalendars.lft74, afterContactWorkMaxSeconds: 30 },
  },
  {
    slug: 'contribuyentes',
    name: 'Contribuyentes',
    prefix: 'CO',
    skills: ['alta_patronal', 'cuotas_obrero_patronales', 'prima_riesgo_trabajo', 'revision_documental'],
    queues: [
      { name: 'Patrones', priority: 50, skills: { alta_patronal: 1 }, afterHours: AFTER_HOURS_CO },
      { name: 'Prima de riesgo de trabajo', priority: 30, skills: { prima_riesgo_trabajo: 3 }, afterHours: AFTER_HOURS_CO, strategy: 'least_busy' },
    ],
    // DyC chat and email: Monday to Friday 08–20 (seed-digest §2.5).
    routing: { schedule: demoSchedules.dycChatEmail, holidays: demoHolidayCalendars.lft74 },
  },
];

interface DemoUser {
  email: string;
  name: string;
  roles: Role[];
  campaigns: string[];
  skills?: Record<string, number>;
  seatType?: SeatType;
}

const USERS: DemoUser[] = [
  { email: 'admin@demo.ventanilla.mx', name: 'Adriana Admin', roles: ['admin'], campaigns: ['derechohabientes', 'contribuyentes'] },
  { email: 'supervisora@demo.ventanilla.mx', name: 'Sofía Supervisora', roles: ['supervisor'], campaigns: ['derechohabientes', 'contribuyentes'] },
  { email: 'entrenador@demo.ventanilla.mx', name: 'Tomás Entrenador', roles: ['trainer'], campaigns: ['derechohabientes', 'contribuyentes'] },
  { email: 'calidad@demo.ventanilla.mx', name: 'Elena Calidad', roles: ['quality_analyst'], campaigns: ['derechohabientes', 'contribuyentes'] },
  { email: 'agente1@demo.ventanilla.mx', name: 'Ana Martínez', roles: ['agent'], campaigns: ['derechohabientes'], skills: { afiliacion_vigencia: 4, citas_medicas: 3 } },
  { email: 'agente2@demo.ventanilla.mx', name: 'Luis Hernández', roles: ['agent'], campaigns: ['derechohabientes'], skills: { afiliacion_vigencia: 3, pensiones: 4 } },
  { email: 'agente3@demo.ventanilla.mx', name: 'Carmen Ruiz', roles: ['agent'], campaigns: ['derechohabientes'], skills: { citas_medicas: 5, incapacidades: 3 } },
  { email: 'agente4@demo.ventanilla.mx', name: 'Jorge Ramírez', roles: ['agent'], campaigns: ['contribuyentes'], skills: { alta_patronal: 4, cuotas_obrero_patronales: 3, revision_documental: 1 } },
  { email: 'agente5@demo.ventanilla.mx', name: 'Patricia Gómez', roles: ['agent'], campaigns: ['contribuyentes'], skills: { prima_riesgo_trabajo: 5, alta_patronal: 2 } },
  { email: 'agente6@demo.ventanilla.mx', name: 'Miguel Torres', roles: ['agent'], campaigns: ['derechohabientes', 'contribuyentes'], skills: { afiliacion_vigencia: 2, alta_patronal: 2, revision_documental: 1 } },
  // Second level (PS-P): IMSS staff on a provider seat (seed-digest §2.1).
  { email: 'pslp@demo.ventanilla.mx', name: 'Rosa Díaz (PS-P)', roles: ['agent'], campaigns: ['derechohabientes'], skills: { segundo_nivel: 4, pensiones: 5 }, seatType: 'PS-P' },
];

export interface DemoChannel {
  id: string;
  campaign: string;
  name: string;
  secret: string;
}

export interface DemoSeedResult {
  seeded: boolean;
  channels: DemoChannel[];
  users: { email: string; roles: Role[] }[];
}

/**
 * Seeds the demo once: if the first demo campaign exists nothing is written again.
 * Channel secrets are read back so the simulator can sign like a real client.
 */
export async function seedDemo(db: Kysely<Database>): Promise<DemoSeedResult> {
  const users = USERS.map((u) => ({ email: u.email, roles: u.roles }));
  const existing = await db.selectFrom('campaigns').select('id').where('slug', '=', CAMPAIGNS[0]!.slug).executeTakeFirst();
  if (existing) {
    // A demo seeded before the agent-desktop knowledge existed gains it now (nothing if present).
    await seedDemoKnowledge(db);
    await seedDemoAppointments(db);
    return { seeded: false, channels: await demoChannels(db), users };
  }

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (trx) => {
    const campaignIds = new Map<string, string>();
    const skillIds = new Map<string, string>();
    for (const c of CAMPAIGNS) {
      const campaign = await trx
        .insertInto('campaigns')
        .values({ slug: c.slug, name: c.name, folio_prefix: c.prefix, settings: '{}', routing: JSON.stringify(c.routing) })
        .returning('id')
        .executeTakeFirstOrThrow();
      campaignIds.set(c.slug, campaign.id);
      for (const name of c.skills) {
        const skill = await trx.insertInto('skills').values({ campaign_id: campaign.id, name }).returning('id').executeTakeFirstOrThrow();
        skillIds.set(name, skill.id);
      }
      const queueIds = new Map<string, string>();
      for (const [index, q] of c.queues.entries()) {
        const queue = await trx
          .insertInto('queues')
          .values({
            campaign_id: campaign.id,
            name: q.name,
            priority: q.priority,
            settings: '{}',
            tier: q.tier ?? 1,
            is_default: index === 0,
            strategy: q.strategy ?? 'longest_idle',
            max_wait_seconds: q.maxWaitSeconds ?? null,
            after_hours: q.afterHours ? JSON.stringify(q.afterHours) : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        queueIds.set(q.name, queue.id);
        for (const [skill, level] of Object.entries(q.skills)) {
          await trx.insertInto('queue_skills').values({ queue_id: queue.id, skill_id: skillIds.get(skill)!, min_level: level }).execute();
        }
      }
      for (const q of c.queues) {
        if (!q.overflow) continue;
        const overflow = q.overflow.map((step) => ({
          trigger: step.afterSeconds !== undefined ? { afterSeconds: step.afterSeconds } : { estimatedWaitOverSeconds: step.estimatedWaitOverSeconds },
          action: step.moveTo !== undefined ? { moveToQueueId: queueIds.get(step.moveTo) } : { relaxLevels: step.relaxLevels },
        }));
        await trx.updateTable('queues').set({ overflow: JSON.stringify(overflow) }).where('id', '=', queueIds.get(q.name)!).execute();
      }
      await trx
        .insertInto('channels')
        .values({
          campaign_id: campaign.id,
          kind: 'api',
          name: `API ${c.name}`,
          settings: '{}',
          secrets: JSON.stringify({ signingSecret: randomBytes(24).toString('hex') }),
        })
        .execute();
    }
    for (const u of USERS) {
      const user = await trx
        .insertInto('users')
        .values({ email: u.email, display_name: u.name, password_hash: passwordHash, roles: u.roles })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('user_campaigns')
        .values(u.campaigns.map((slug) => ({ user_id: user.id, campaign_id: campaignIds.get(slug)! })))
        .execute();
      for (const [skill, level] of Object.entries(u.skills ?? {})) {
        await trx.insertInto('agent_skills').values({ user_id: user.id, skill_id: skillIds.get(skill)!, level }).execute();
      }
    }
    await syncAgentSeats(trx);
    for (const u of USERS) {
      if (u.seatType === undefined) continue;
      const user = await trx.selectFrom('users').select('id').where('email', '=', u.email).executeTakeFirstOrThrow();
      await trx.updateTable('agent_seats').set({ seat_type: u.seatType }).where('user_id', '=', user.id).execute();
    }
  });
  await seedDemoKnowledge(db);
  await seedDemoAppointments(db);
  return { seeded: true, channels: await demoChannels(db), users };
}

async function demoChannels(db: Kysely<Database>): Promise<DemoChannel[]> {
  const rows = await db
    .selectFrom('channels')
    .innerJoin('campaigns', 'campaigns.id', 'channels.campaign_id')
    .select(['channels.id', 'channels.name', 'channels.secrets', 'campaigns.name as campaign'])
    .where('campaigns.slug', 'in', CAMPAIGNS.map((c) => c.slug))
    .where('channels.kind', '=', 'api')
    // The demo bot's own API channels (demo-bot.ts) are listed apart: these go straight to agents.
    .where(sql<boolean>`coalesce((channels.settings->'bot'->>'enabled')::boolean, false)`, '=', false)
    .orderBy('campaigns.slug')
    .execute();
  return rows.map((r) => ({ id: r.id, campaign: r.campaign, name: r.name, secret: String(r.secrets['signingSecret'] ?? '') }));
}
