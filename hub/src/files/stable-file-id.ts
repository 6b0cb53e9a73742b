import { createHash } from 'node:crypto';

/**
 * A file id that is a function of where the file came from (channel, message, part), so a
 * retried job or a re-read mailbox finds the file it stored before instead of storing it twice.
 * Shaped as an RFC 4122 name-based UUID (version 5 bits).
 */
export function stableFileId(channelId: string, messageKey: string, part: string): string {
  const hash = createHash('sha1').update(`${channelId}\u0000${messageKey}\u0000${part}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
