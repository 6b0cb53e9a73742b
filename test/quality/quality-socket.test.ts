import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubProcess, type HubProcess } from '@ventanilla/hub';
import { connectStaff, tokenFor } from '../support/auth.js';
import { createCampaign, createUser } from '../support/factories.js';
import { dropNamespaces, testConfig } from '../support/test-context.js';

/** A quality analyst never joins live traffic: the staff socket (campaign rooms) refuses the role. */
describe('staff socket and the quality analyst role', () => {
  const config = testConfig({ HUB_ROLE: 'all', PORT: '0' });
  let hub: HubProcess;
  let campaignId: string;

  beforeAll(async () => {
    hub = await startHubProcess(config);
    campaignId = (await createCampaign(hub.ctx.db.kysely)).id;
  });
  afterAll(async () => {
    await hub?.stop();
    await dropNamespaces(config);
  });

  it('refuses an analyst-only user with HUB_ERR_FORBIDDEN_ROLE and still admits an auditor of the campaign', async () => {
    const db = hub.ctx.db.kysely;
    const analyst = await createUser(db, { roles: ['quality_analyst'], campaignIds: [campaignId] });
    const refused = await connectStaff(hub.url!, await tokenFor(db, analyst.id)).then(
      (socket) => {
        socket.disconnect();
        return null;
      },
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(Error);
    expect(refused).toMatchObject({ data: { code: 'HUB_ERR_FORBIDDEN_ROLE' } });

    const auditor = await createUser(db, { roles: ['auditor'], campaignIds: [campaignId] });
    const socket = await connectStaff(hub.url!, await tokenFor(db, auditor.id));
    expect(socket.connected).toBe(true);
    socket.disconnect();
  });
});
