import { describe, expect, it } from 'vitest';
import { contentDisposition, sanitizeFilename } from './file-names.js';

describe('file names', () => {
  it('keeps the original name, minus control, bidi-override and path characters', () => {
    expect(sanitizeFilename('Acta de nacimiento — José.pdf')).toBe('Acta de nacimiento — José.pdf');
    expect(sanitizeFilename('Jose\u0301.pdf')).toBe('José.pdf');
    expect(sanitizeFilename('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(sanitizeFilename('factura\r\n.pdf')).toBe('factura.pdf');
    expect(sanitizeFilename('recibo\u202Efdp.exe')).toBe('recibofdp.exe');
    expect(sanitizeFilename('   ')).toBe('archivo');
    expect(sanitizeFilename(undefined)).toBe('archivo');
    const long = sanitizeFilename(`${'a'.repeat(300)}.pdf`);
    expect(long).toHaveLength(255);
    expect(long.endsWith('.pdf')).toBe(true);
  });

  it('writes an RFC 6266 header with an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('Acta de nacimiento — José.pdf', 'attachment')).toBe(
      `attachment; filename="Acta de nacimiento _ Jose.pdf"; filename*=UTF-8''Acta%20de%20nacimiento%20%E2%80%94%20Jos%C3%A9.pdf`,
    );
    expect(contentDisposition(`o'brien "copia" (1)*.png`, 'inline')).toBe(
      `inline; filename="o'brien _copia_ (1)*.png"; filename*=UTF-8''o%27brien%20%22copia%22%20%281%29%2A.png`,
    );
    expect(decodeURIComponent(contentDisposition('Año fiscal 100%.csv', 'attachment').split("UTF-8''")[1] ?? '')).toBe('Año fiscal 100%.csv');
  });
});
