const length = (s: string): number => [...s].length;

/**
 * Splits a text into pieces of at most `max` characters: whole paragraphs packed together
 * while they fit, a longer paragraph at word boundaries. A long answer arrives as several
 * messages rather than cut mid-sentence; only a single word longer than `max` (a URL) is cut.
 */
export function splitText(text: string, max: number): string[] {
  const limit = Math.max(1, Math.floor(max));
  const pieces: string[] = [];
  let current = '';
  for (const paragraph of text.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== '')) {
    const joined = current === '' ? paragraph : `${current}\n\n${paragraph}`;
    if (length(joined) <= limit) {
      current = joined;
      continue;
    }
    if (current !== '') pieces.push(current);
    current = '';
    if (length(paragraph) <= limit) {
      current = paragraph;
      continue;
    }
    const words = splitWords(paragraph, limit);
    current = words.pop() ?? '';
    pieces.push(...words);
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

function splitWords(paragraph: string, limit: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const word of paragraph.split(/[ \t]+/)) {
    const joined = current === '' ? word : `${current} ${word}`;
    if (length(joined) <= limit) {
      current = joined;
      continue;
    }
    if (current !== '') pieces.push(current);
    let rest = [...word];
    while (rest.length > limit) {
      pieces.push(rest.slice(0, limit).join(''));
      rest = rest.slice(limit);
    }
    current = rest.join('');
  }
  if (current !== '') pieces.push(current);
  return pieces;
}
