import { randomBytes, randomUUID, createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Socket } from 'socket.io-client';
import { signAccessToken, type ClientToServerEvents, type Database, type ServerToClientEvents } from '@ventanilla/hub';
import { connectStaffSocket } from '../../inbox-ui/src/realtime/staff-socket.js';

export type StaffClient = Socket<ServerToClientEvents, ClientToServerEvents>;
import { TEST_JWT_SECRET } from './test-context.js';

/**
 * An access token for a user without going through /auth/login (for tests of other routes):
 * opens a refresh-token family exactly like a login does, so session checks apply.
 */
export async function tokenFor(db: Kysely<Database>, userId: string): Promise<string> {
  const familyId = randomUUID();
  await db
    .insertInto('refresh_tokens')
    .values({
      user_id: userId,
      family_id: familyId,
      token_hash: createHash('sha256').update(randomBytes(32)).digest('hex'),
      expires_at: new Date(Date.now() + 3600_000),
    })
    .execute();
  return signAccessToken(TEST_JWT_SECRET, 900, { userId, sessionId: familyId });
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

/** The inbox's own staff socket (inbox-ui), resolved once connected. */
export async function connectStaff(baseUrl: string, token: string): Promise<StaffClient> {
  const socket: StaffClient = connectStaffSocket(baseUrl, token);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}
