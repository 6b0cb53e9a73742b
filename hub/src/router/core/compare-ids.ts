/**
 * Deterministic order of ids by UTF-16 code units. Not localeCompare: the result must not depend
 * on the ICU data or locale of the process that happens to run the router.
 */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
