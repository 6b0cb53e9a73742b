/** A contact card as the inbound `contacts` content carries it. */
export interface VCardContact {
  name: string;
  phones: string[];
  emails: string[];
}

/**
 * The few vCard 3.0 fields a citizen's shared contact needs (RFC 2426): FN (or N), TEL, EMAIL.
 * WhatsApp writes `TEL;type=CELL;waid=5215512345678:+52 1 55 1234 5678`; folded lines
 * (continuations starting with a space or tab) are unfolded first.
 */
export function parseVCard(vcard: string): VCardContact {
  const lines = vcard.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  let name = '';
  let structured = '';
  const phones: string[] = [];
  const emails: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = (line.slice(0, colon).split(';')[0] ?? '').split('.').pop()?.toUpperCase();
    const value = line.slice(colon + 1).trim();
    if (!value) continue;
    if (key === 'FN') name = value;
    else if (key === 'N') structured = value.split(';').filter(Boolean).reverse().join(' ');
    else if (key === 'TEL' && phones.length < 20) phones.push(value.slice(0, 64));
    else if (key === 'EMAIL' && emails.length < 20) emails.push(value.slice(0, 320));
  }
  return { name: (name || structured || phones[0] || 'Contacto').slice(0, 500), phones, emails };
}
