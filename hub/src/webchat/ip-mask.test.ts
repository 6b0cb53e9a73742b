import { describe, expect, it } from 'vitest';
import { maskIp } from './ip-mask.js';

describe('maskIp', () => {
  it('keeps the first two octets of an IPv4 address', () => {
    expect(maskIp('201.141.23.7')).toBe('201.141.xxx.xxx');
    expect(maskIp('::ffff:10.0.0.1')).toBe('10.0.xxx.xxx');
  });

  it('keeps the first three groups of an IPv6 address, expanding ::', () => {
    expect(maskIp('2806:10a6:2:4f::1')).toBe('2806:10a6:2:xxxx:xxxx:xxxx:xxxx:xxxx');
    expect(maskIp('2001:db8::1')).toBe('2001:db8:0:xxxx:xxxx:xxxx:xxxx:xxxx');
    expect(maskIp('::1')).toBe('0:0:0:xxxx:xxxx:xxxx:xxxx:xxxx');
  });

  it('hides anything that is not an address', () => {
    expect(maskIp('unknown')).toBe('xxx');
  });
});
