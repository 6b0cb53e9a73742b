import { describe, expect, it } from 'vitest';
import { acceptedLabel, checkFile, fileType, formatBytes } from './file-check.js';

describe('checkFile (the portal checks a document before uploading it)', () => {
  const accept = ['application/pdf', 'image/png'];

  it('takes an accepted type under the limit', () => {
    expect(checkFile({ name: 'acta.pdf', type: 'application/pdf', size: 1000 }, accept, 2048)).toBeNull();
  });

  it('refuses a type the requirement does not accept', () => {
    expect(checkFile({ name: 'foto.jpg', type: 'image/jpeg', size: 1000 }, accept, 2048)).toEqual({ kind: 'type' });
  });

  it('refuses a file over the limit, saying the limit', () => {
    expect(checkFile({ name: 'acta.pdf', type: 'application/pdf', size: 2049 }, accept, 2048)).toEqual({ kind: 'size', maxBytes: 2048 });
  });

  it('refuses an empty file', () => {
    expect(checkFile({ name: 'acta.pdf', type: 'application/pdf', size: 0 }, accept, 2048)).toEqual({ kind: 'empty' });
  });

  it('reads the extension when the browser gives no type, and takes wildcards', () => {
    expect(fileType('ACTA.PDF', '')).toBe('application/pdf');
    expect(checkFile({ name: 'scan.jpeg', type: '', size: 10 }, ['image/*'], 100)).toBeNull();
  });

  it('writes sizes and types as a citizen reads them', () => {
    expect(formatBytes(2 * 1024 * 1024, 'es-MX')).toBe('2 MB');
    expect(formatBytes(1536, 'en')).toBe('1.5 kB');
    expect(acceptedLabel(['application/pdf', 'image/png', 'image/jpeg'])).toBe('PDF, PNG, JPEG');
  });
});
