/**
 * Removes control characters (C0 but tab, LF, CR; DEL; C1): PostgreSQL text cannot hold NUL,
 * and the rest only garble the inbox or hide text from an agent.
 */
export function stripControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');
}
