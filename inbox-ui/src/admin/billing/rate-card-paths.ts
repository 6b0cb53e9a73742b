/**
 * The hub names a rate-card problem by its JSON path (`concepts.6.unitPriceCents`); the admin
 * edits the JSON, so the path stays, but a concept is named by its position and code, which is
 * what they look for in the text (pure; tested in rate-card-paths.test.ts).
 */
export function describeCardPath(path: string, draft: unknown, conceptLabel: (n: number, code: string) => string): string {
  const m = /^concepts\.(\d+)(?:\.(.+))?$/.exec(path);
  if (!m) return path;
  const index = Number(m[1]);
  const concepts = typeof draft === 'object' && draft !== null ? Reflect.get(draft, 'concepts') : undefined;
  const concept: unknown = Array.isArray(concepts) ? concepts[index] : undefined;
  const code = typeof concept === 'object' && concept !== null ? Reflect.get(concept, 'code') : undefined;
  const label = conceptLabel(index + 1, typeof code === 'string' ? code : '?');
  return m[2] ? `${label} · ${m[2]}` : label;
}

/** The draft's text as JSON, or null when it does not parse (the save reports that itself). */
export function parseDraft(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
