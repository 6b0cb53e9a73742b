import { isIPv4, isIPv6 } from 'node:net';

/**
 * An address as agents see it when the channel masks IPs (issue 5 item 5): the network part
 * only — `201.141.xxx.xxx`, or the first three groups of an IPv6 address (`2806:10a6:2::…`
 * → `2806:10a6:2:xxxx:…`). Enough to notice a flood from one network, not to find a person.
 */
export function maskIp(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return maskIp(mapped);
  if (isIPv4(ip)) {
    const [a, b] = ip.split('.');
    return `${a}.${b}.xxx.xxx`;
  }
  if (isIPv6(ip)) {
    const groups = expandIpv6(ip);
    return [...groups.slice(0, 3), 'xxxx', 'xxxx', 'xxxx', 'xxxx', 'xxxx'].join(':');
  }
  return 'xxx';
}

/** The eight groups of an IPv6 address, `::` expanded (zone ids dropped). */
function expandIpv6(ip: string): string[] {
  const address = ip.split('%')[0] ?? ip;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = Math.max(0, 8 - left.length - right.length);
  return [...left, ...Array.from({ length: tail === undefined ? 0 : missing }, () => '0'), ...right].map((g) => g.toLowerCase());
}
