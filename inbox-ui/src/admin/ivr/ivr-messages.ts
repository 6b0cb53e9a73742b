import type { Lang } from '../../i18n/lang.js';

/** The IVR section's own words (Spanish first), kept apart from the console's catalogues. */
const esMX = {
  intro: 'El menú que escucha quien llama a los canales de voz de la campaña. Se edita un borrador; al publicarlo pasa a producción y la versión anterior se archiva.',
  versions: 'Versiones',
  version: 'Versión',
  status: 'Estado',
  name: 'Nombre',
  updated: 'Actualizada',
  none: 'Esta campaña aún no tiene IVR: las llamadas escuchan el aviso de privacidad y pasan a la fila.',
  view: 'Ver versión {version}',
  'status.draft': 'Borrador',
  'status.production': 'En producción',
  'status.archived': 'Archivada',
  editor: 'Árbol del IVR (JSON)',
  editorHint: 'Nodos: menu, say, privacy, capture, folio_status, hours, queue, transfer_campaign, dial, hangup.',
  viewing: 'Viendo la versión {version} ({status}). Guardar crea o reemplaza el borrador.',
  note: 'Nota del cambio (opcional)',
  save: 'Guardar borrador',
  promote: 'Publicar borrador',
  saved: 'Borrador guardado (versión {version}).',
  promoted: 'Versión {version} publicada; la anterior quedó archivada.',
  problems: 'El árbol tiene {count} problema(s); corríjalos y guarde de nuevo:',
  readOnly: 'Solo lectura: los administradores editan y publican el IVR.',
} as const;

export type IvrMessageKey = keyof typeof esMX;

const en: Record<IvrMessageKey, string> = {
  intro: 'The menu callers hear on the campaign’s voice channels. A draft is edited; promoting it puts it in production and archives the previous version.',
  versions: 'Versions',
  version: 'Version',
  status: 'Status',
  name: 'Name',
  updated: 'Updated',
  none: 'This campaign has no IVR yet: callers hear the privacy notice and go to the queue.',
  view: 'View version {version}',
  'status.draft': 'Draft',
  'status.production': 'In production',
  'status.archived': 'Archived',
  editor: 'IVR tree (JSON)',
  editorHint: 'Nodes: menu, say, privacy, capture, folio_status, hours, queue, transfer_campaign, dial, hangup.',
  viewing: 'Viewing version {version} ({status}). Saving creates or replaces the draft.',
  note: 'Change note (optional)',
  save: 'Save draft',
  promote: 'Promote draft',
  saved: 'Draft saved (version {version}).',
  promoted: 'Version {version} promoted; the previous one was archived.',
  problems: 'The tree has {count} problem(s); fix them and save again:',
  readOnly: 'Read only: administrators edit and promote the IVR.',
};

export function ivrText(lang: Lang, key: IvrMessageKey, values: Record<string, string | number> = {}): string {
  const template: string = lang === 'en' ? en[key] : esMX[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
