import { describe, expect, it } from 'vitest';
import { phoneKeys } from '../../hub/src/privacy/arco/arco-cancel-subject.js';

describe('privacy: the phone forms an ARCO cancellation looks for', () => {
  it('finds a Mexican number as E.164 digits and as the 10-digit national number', () => {
    expect(phoneKeys('+525511112222').sort()).toEqual(['525511112222', '5511112222'].sort());
  });

  it('normalises legacy prefixes and WhatsApp ids to the same keys', () => {
    expect(phoneKeys('044 55 1111 2222')).toEqual(expect.arrayContaining(['5511112222', '525511112222']));
    expect(phoneKeys('5215511112222')).toEqual(expect.arrayContaining(['5215511112222', '525511112222', '5511112222']));
    expect(phoneKeys('55 1111 2222')).toEqual(expect.arrayContaining(['5511112222', '525511112222']));
  });

  it('ignores strings too short to be a phone (they would match unrelated rows)', () => {
    expect(phoneKeys('1234')).toEqual([]);
    expect(phoneKeys('ext. 12')).toEqual([]);
  });
});
