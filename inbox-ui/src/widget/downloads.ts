/**
 * Saves a Blob the widget fetched with its bearer token (a link cannot carry the token): an
 * object URL on a temporary `<a download>`, revoked once the browser has taken it.
 */
export function saveBlob(parent: Node, blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  parent.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

