import type { QueueConfig, OverflowStep } from './queue-config.schema.js';

/** Test fixtures: valid v4-shaped UUIDs that stay readable in failure output. */
export const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const CAMPAIGN = uuid(0xca);
export const OTHER_CAMPAIGN = uuid(0xcb);
export const SKILL = { afiliacion: uuid(0x51), citas: uuid(0x52), pensiones: uuid(0x53) } as const;

export function queueConfig(overrides: Partial<QueueConfig> = {}): QueueConfig {
  return {
    name: 'Citas médicas',
    priority: 40,
    requiredSkills: [{ skillId: SKILL.citas, minLevel: 2 }],
    strategy: 'longest_idle',
    channelClasses: ['text'],
    overflow: [],
    afterHours: { mode: 'keep_queued', message: { es: 'Fuera de horario; su lugar se conserva.' } },
    ...overrides,
  };
}

export const after = (seconds: number, action: OverflowStep['action']): OverflowStep => ({ trigger: { afterSeconds: seconds }, action });
export const onEstimate = (seconds: number, action: OverflowStep['action']): OverflowStep => ({ trigger: { estimatedWaitOverSeconds: seconds }, action });
export const moveTo = (queueId: string): OverflowStep['action'] => ({ moveToQueueId: queueId });
export const relax = (levels: number): OverflowStep['action'] => ({ relaxLevels: levels });
