/**
 * The contact center of the shift-start storm (issue 3, SPEC §8), generated from a seed: campaigns
 * with their skills and queues, agents hired for one or two queues, and how many conversations
 * wait in each queue. Pure data: storm-seed.ts writes it to PostgreSQL, the pure core can plan on it.
 */
import { mulberry32 } from '../prng.js';

export interface StormSettings {
  seed: number;
  agents: number;
  /** Waiting text conversations, spread over the queues in proportion to their staff. */
  conversations: number;
  campaigns: number;
  skillsPerCampaign: number;
  queuesPerCampaign: number;
  /** Text slots per agent (campaign default capacity). */
  textSlots: number;
  /** Share of agents who also serve a second campaign. */
  secondCampaignShare: number;
}

export const FULL_STORM: StormSettings = {
  seed: 20261126,
  agents: 10_000,
  conversations: 50_000,
  campaigns: 5,
  skillsPerCampaign: 40,
  queuesPerCampaign: 10,
  textSlots: 4,
  secondCampaignShare: 0.1,
};

export const SMALL_STORM: StormSettings = { ...FULL_STORM, agents: 200, conversations: 1_000 };

export type Strategy = 'longest_idle' | 'least_busy' | 'round_robin';

export interface WorldCampaign {
  index: number;
  id: string;
  slug: string;
  prefix: string;
  channelId: string;
  skillIds: string[];
}

export interface WorldQueue {
  id: string;
  campaignIndex: number;
  name: string;
  priority: number;
  strategy: Strategy;
  isDefault: boolean;
  required: { skillId: string; minLevel: number }[];
  /** Conversations waiting in it at the start. */
  waiting: number;
}

export interface WorldAgent {
  id: string;
  campaignIndexes: number[];
  skills: Map<string, number>;
  /** Milliseconds before the storm since their last assignment or release. */
  idleForMs: number;
  assignedToday: number;
}

export interface StormWorld {
  settings: StormSettings;
  campaigns: WorldCampaign[];
  queues: WorldQueue[];
  agents: WorldAgent[];
  totalWaiting: number;
}

/** Deterministic UUIDs (version-4 layout) so the same seed gives the same ids and tie-breaks. */
export function worldUuid(kind: number, index: number): string {
  const hex = index.toString(16).padStart(12, '0');
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

export const ID_KIND = { campaign: 1, channel: 2, skill: 3, queue: 4, agent: 5 } as const;

/** Share of a campaign's waiting conversations in its general line. */
const GENERAL_SHARE = 0.35;

export function generateStormWorld(settings: StormSettings): StormWorld {
  const random = mulberry32(settings.seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };

  const campaigns: WorldCampaign[] = Array.from({ length: settings.campaigns }, (_, c) => ({
    index: c,
    id: worldUuid(ID_KIND.campaign, c),
    slug: `storm-${c}`,
    prefix: `ST${String.fromCharCode(65 + (c % 26))}${String.fromCharCode(65 + Math.floor(c / 26))}`,
    channelId: worldUuid(ID_KIND.channel, c),
    skillIds: Array.from({ length: settings.skillsPerCampaign }, (_, s) => worldUuid(ID_KIND.skill, c * settings.skillsPerCampaign + s)),
  }));

  const queues: WorldQueue[] = [];
  for (const campaign of campaigns) {
    for (let q = 0; q < settings.queuesPerCampaign; q++) {
      // Queue 0 is the campaign's general line (membership only); the others need 1–2 skills.
      const required = new Map<string, number>();
      const count = q === 0 ? 0 : int(1, 2);
      while (required.size < count) required.set(pick(campaign.skillIds), int(1, 3));
      const roll = random();
      queues.push({
        id: worldUuid(ID_KIND.queue, queues.length),
        campaignIndex: campaign.index,
        name: `Fila ${campaign.index}-${q}`,
        // Most queues at the default priority, a few urgent or relaxed ones.
        priority: roll < 0.7 ? 50 : int(10, 90),
        strategy: q % 5 === 3 ? 'least_busy' : q % 5 === 4 ? 'round_robin' : 'longest_idle',
        isDefault: q === 0,
        required: [...required].map(([skillId, minLevel]) => ({ skillId, minLevel })),
        waiting: 0,
      });
    }
  }
  const queuesOf = campaigns.map((c) => queues.filter((q) => q.campaignIndex === c.index && !q.isDefault));

  // Agents are hired for a home queue in each campaign they serve (so they qualify for it), and
  // carry 3–8 skills of those campaigns at levels 1–5.
  const homeSlots = new Map<string, number>();
  const agents: WorldAgent[] = Array.from({ length: settings.agents }, (_, i) => {
    const primary = i % settings.campaigns;
    const campaignIndexes = [primary];
    if (settings.campaigns > 1 && random() < settings.secondCampaignShare) campaignIndexes.push((primary + int(1, settings.campaigns - 1)) % settings.campaigns);
    const skills = new Map<string, number>();
    for (const c of campaignIndexes) {
      const home = pick(queuesOf[c] ?? []);
      for (const r of home.required) skills.set(r.skillId, Math.max(skills.get(r.skillId) ?? 0, int(r.minLevel, 5)));
      homeSlots.set(home.id, (homeSlots.get(home.id) ?? 0) + settings.textSlots / campaignIndexes.length);
    }
    const target = Math.max(skills.size, int(3, 8));
    const pool = campaignIndexes.flatMap((c) => campaigns[c]?.skillIds ?? []);
    while (skills.size < target) {
      const skillId = pick(pool);
      if (!skills.has(skillId)) skills.set(skillId, int(1, 5));
    }
    return { id: worldUuid(ID_KIND.agent, i), campaignIndexes, skills, idleForMs: int(0, 3_600_000), assignedToday: int(0, 30) };
  });

  // Conversations follow the staffing: a general line per campaign takes GENERAL_SHARE of its
  // campaign's conversations, each skilled queue a share by the slots of the agents hired for it.
  const totalSlots = [...homeSlots.values()].reduce((a, b) => a + b, 0);
  const campaignSlots = campaigns.map((c) => (queuesOf[c.index] ?? []).reduce((sum, q) => sum + (homeSlots.get(q.id) ?? 0), 0));
  let assigned = 0;
  queues.forEach((queue, i) => {
    const ofCampaign = (campaignSlots[queue.campaignIndex] ?? 0) / (totalSlots || 1);
    const share = queue.isDefault ? ofCampaign * GENERAL_SHARE : ((homeSlots.get(queue.id) ?? 0) / (totalSlots || 1)) * (1 - GENERAL_SHARE);
    queue.waiting = i === queues.length - 1 ? settings.conversations - assigned : Math.floor(settings.conversations * share);
    assigned += queue.waiting;
  });
  return { settings, campaigns, queues, agents, totalWaiting: settings.conversations };
}
