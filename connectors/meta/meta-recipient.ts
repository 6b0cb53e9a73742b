/** Which Meta inbox a citizen wrote from; their ids are scoped to our Page or Instagram account. */
export type MetaNetwork = 'messenger' | 'instagram';

const PREFIX: Record<MetaNetwork, string> = { messenger: 'fb-', instagram: 'ig-' };

/**
 * The contact's channel-scoped external id: a PSID or IGSID with its network, so the two never
 * collide. A hyphen, not a colon: the outbound worker only addresses external ids without ':'
 * (those are the hub's own `phone:`/`email:` fallbacks for values that did not normalise).
 */
export function metaContactId(network: MetaNetwork, scopedId: string): string {
  return `${PREFIX[network]}${scopedId}`;
}

export function parseMetaContactId(externalId: string | undefined): { network: MetaNetwork; scopedId: string } | null {
  const match = /^(fb|ig)-(\d{1,64})$/.exec(externalId ?? '');
  if (!match?.[2]) return null;
  return { network: match[1] === 'ig' ? 'instagram' : 'messenger', scopedId: match[2] };
}
