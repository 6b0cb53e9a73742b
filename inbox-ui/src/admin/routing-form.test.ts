import { describe, expect, it } from 'vitest';
import { parseCampaignRouting } from '../../../hub/src/router/config/campaign-routing.schema.js';
import { parseStoredCampaignRouting } from '../../../hub/src/router/store/routing-settings.js';
import type { CampaignRouting } from './admin-types.js';
import { formToRouting, isKnownTimeZone, routingToForm, validateRoutingForm } from './routing-form.js';

const defaults = parseStoredCampaignRouting(null) as CampaignRouting;

describe('campaign routing form ↔ API', () => {
  it('round-trips what GET /campaigns/:id/routing returns into a body PUT accepts unchanged', () => {
    const body = formToRouting(routingToForm(defaults));
    expect(body).toEqual(JSON.parse(JSON.stringify(defaults)));
    const parsed = parseCampaignRouting(body);
    expect(parsed.ok && parsed.value).toEqual(body);
  });

  it('keeps billable states in the hub’s order and flags out-of-range numbers', () => {
    const form = routingToForm(defaults);
    form.billableStates = ['training', 'available'];
    form.capacity.voice = '2';
    form.numbers.offerTimeoutSeconds = '4';
    form.numbers.stickyHours = '';
    expect(formToRouting(form).billableStates).toEqual(['available', 'training']);
    const problems = validateRoutingForm(form, isKnownTimeZone);
    expect(Object.fromEntries(Object.entries(problems).map(([k, v]) => [k, v.key]))).toEqual({ 'capacity.voice': 'v.range', offerTimeoutSeconds: 'v.range', stickyHours: 'v.required' });
    expect(parseCampaignRouting({ ...formToRouting(form), stickyHours: 24 }).ok).toBe(false);
  });

  it('knows IANA zones through Intl', () => {
    expect([isKnownTimeZone('America/Mexico_City'), isKnownTimeZone('America/Tijuana'), isKnownTimeZone('Mars/Olympus')]).toEqual([true, true, false]);
    expect(validateRoutingForm(routingToForm(defaults), isKnownTimeZone)).toEqual({});
  });
});
