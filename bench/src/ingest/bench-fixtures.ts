import type pg from 'pg';
import { migrate, openDatabase, type Config } from '@ventanilla/hub';
import { createApiChannel, createCampaign, createUser } from '../../../test/support/factories.js';
import { tokenFor } from '../../../test/support/auth.js';

/** The API channel the load posts to and the agent session that receives the deliveries. */
export interface BenchFixtures {
  channelId: string;
  secret: string;
  token: string;
  postgresVersion: string;
}

/** Schema, campaign, API channel, one agent with a session; and the server version for the report. */
export async function prepareFixtures(config: Config, verify: pg.Pool): Promise<BenchFixtures> {
  const db = await openDatabase(config);
  let channelId: string;
  let secret: string;
  let token: string;
  try {
    await migrate(db);
    const campaign = await createCampaign(db.kysely, { prefix: 'BN', name: 'Bench' });
    ({ channel: { id: channelId }, secret } = await createApiChannel(db.kysely, campaign.id, { name: 'bench' }));
    const agent = await createUser(db.kysely, { roles: ['agent'], campaignIds: [campaign.id] });
    token = await tokenFor(db.kysely, agent.id);
  } finally {
    await db.close();
  }
  const postgresVersion = String((await verify.query<{ v: string }>("SELECT split_part(version(), ' on ', 1) AS v")).rows[0]?.v ?? '');
  return { channelId, secret, token, postgresVersion };
}
