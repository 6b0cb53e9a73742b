import { describe, expect, it } from 'vitest';
import { channelRegistry } from '../../../connectors/core/index.js';
import { ROLES as HUB_ROLES } from '../../../hub/src/db/schema.js';
import { MAX_DISPOSITION_DEPTH as HUB_MAX_DEPTH } from '../../../hub/src/inbox/disposition-tree.js';
import { CAPACITY_LIMITS as HUB_CAPACITY, parseCampaignRouting } from '../../../hub/src/router/config/campaign-routing.schema.js';
import { AFTER_HOURS_MODES as HUB_MODES, MAX_RELAX_LEVELS as HUB_RELAX, MAX_SECONDS as HUB_MAX_SECONDS, MAX_SKILL_LEVEL as HUB_MAX_LEVEL, MIN_SKILL_LEVEL as HUB_MIN_LEVEL, parseQueueConfig } from '../../../hub/src/router/config/queue-config.schema.js';
import { AGENT_STATES as HUB_STATES, CHANNEL_CLASSES as HUB_CLASSES } from '../../../hub/src/router/core/router.types.js';
import { strategyNames } from '../../../hub/src/router/core/routing-strategies.js';
import { DEFAULT_SCHEDULE } from '../../../hub/src/router/store/routing-settings.js';
import * as limits from './admin-limits.js';

/** The browser's copy of the hub's limits must not drift from the hub's own. */
describe('admin limits mirror the hub', () => {
  it('match the exported constants', () => {
    expect(limits.CAPACITY_LIMITS).toEqual(HUB_CAPACITY);
    expect(limits.CHANNEL_CLASSES).toEqual(HUB_CLASSES);
    expect(limits.AGENT_STATES).toEqual(HUB_STATES);
    expect([...limits.STRATEGIES].sort()).toEqual(strategyNames().sort());
    expect(limits.AFTER_HOURS_MODES).toEqual(HUB_MODES);
    expect(limits.ROLES).toEqual(HUB_ROLES);
    expect([...limits.CHANNEL_KINDS].sort()).toEqual(Object.keys(channelRegistry).sort());
    expect(limits.MAX_SECONDS).toBe(HUB_MAX_SECONDS);
    expect([limits.MIN_SKILL_LEVEL, limits.MAX_SKILL_LEVEL, limits.MAX_RELAX_LEVELS]).toEqual([HUB_MIN_LEVEL, HUB_MAX_LEVEL, HUB_RELAX]);
    expect(limits.MAX_DISPOSITION_DEPTH).toBe(HUB_MAX_DEPTH);
  });

  it('match the campaign routing ranges the hub enforces', () => {
    const base = { schedule: DEFAULT_SCHEDULE, holidays: { base: 'lft74', extra: [], removed: [] } };
    for (const [field, { min, max }] of Object.entries(limits.ROUTING_RANGES)) {
      for (const [value, ok] of [
        [min, true],
        [max, true],
        [min - 1, false],
        [max + 1, false],
      ] as const) {
        expect(parseCampaignRouting({ ...base, [field]: value }).ok, `${field}=${value}`).toBe(ok);
      }
    }
  });

  it('match the queue ranges the hub enforces', () => {
    const queue = { name: 'Q', priority: 1, requiredSkills: [], strategy: 'longest_idle', channelClasses: ['text'], afterHours: { mode: 'keep_queued', message: { es: 'x' } } };
    expect(parseQueueConfig({ ...queue, priority: limits.PRIORITY_RANGE.max }).ok).toBe(true);
    expect(parseQueueConfig({ ...queue, priority: limits.PRIORITY_RANGE.max + 1 }).ok).toBe(false);
    expect(parseQueueConfig({ ...queue, priority: limits.PRIORITY_RANGE.min - 1 }).ok).toBe(false);
    expect(parseQueueConfig({ ...queue, name: 'x'.repeat(limits.QUEUE_NAME_MAX) }).ok).toBe(true);
    expect(parseQueueConfig({ ...queue, name: 'x'.repeat(limits.QUEUE_NAME_MAX + 1) }).ok).toBe(false);
    expect(parseQueueConfig({ ...queue, afterHours: { mode: 'close', message: { es: 'x'.repeat(limits.CITIZEN_MESSAGE_MAX + 1) } } }).ok).toBe(false);
  });

  it('accept the same HH:MM values as the hub', () => {
    const hub = (time: string) => parseCampaignRouting({ schedule: { ...DEFAULT_SCHEDULE, days: { ...DEFAULT_SCHEDULE.days, mon: [{ open: '00:00', close: time }] } }, holidays: { base: 'none', extra: [], removed: [] } }).ok;
    for (const time of ['00:30', '09:00', '23:59', '24:00', '24:01', '25:00', '9:00', '12:60', 'ab:cd']) expect(limits.HH_MM.test(time), time).toBe(hub(time));
  });
});
