import { ROLES } from '../../db/schema.js';
import { ACCESS_POLICY, allowsRoles, SOCKET_EVENTS } from './access-policy.js';
import type { Access, CampaignScope } from './access-policy.types.js';

const SCOPE_LABELS: Record<CampaignScope, string> = {
  path: 'ruta / path',
  resource: 'recurso / resource',
  input: 'parámetro / input',
  filtered: 'filtrada / filtered',
  own: 'propia / own',
  global: 'global',
};

function roleCells(access: Access): string[] {
  if (access.kind === 'public') return ROLES.map(() => '—');
  return ROLES.map((role) => (allowsRoles(access, [role]) ? '✓' : '✗'));
}

function scopeCell(access: Access, campaign: CampaignScope, foreignDenial?: 404): string {
  if (access.kind === 'public') return `pública: ${access.guard}`;
  return foreignDenial ? `${SCOPE_LABELS[campaign]} (404)` : SCOPE_LABELS[campaign];
}

function noteCell(access: Access, note?: string): string {
  return access.kind === 'public' ? access.reason : (note ?? '');
}

/** docs/authorization-matrix.md, generated from ACCESS_POLICY (`npm run -s docs:authz`). */
export function authorizationMatrixMarkdown(): string {
  const header = `| Método | Ruta | ${ROLES.join(' | ')} | Campaña | Nota |`;
  const rule = `|---|---|${ROLES.map(() => '---|').join('')}---|---|`;
  const routes = ACCESS_POLICY.map(
    (r) => `| ${r.method} | \`${r.url}\` | ${roleCells(r.access).join(' | ')} | ${scopeCell(r.access, r.campaign, r.foreignDenial)} | ${noteCell(r.access, r.note)} |`,
  );
  const socketHeader = `| Espacio | Evento | ${ROLES.join(' | ')} | Campaña | Nota |`;
  const sockets = SOCKET_EVENTS.map(
    (e) => `| ${e.namespace} | \`${e.event}\` | ${roleCells(e.access).join(' | ')} | ${scopeCell(e.access, e.campaign)} | ${noteCell(e.access, e.note)} |`,
  );
  return [
    '# Matriz de autorización / authorization matrix',
    '',
    '<!-- Generado por `npm run -s docs:authz` desde hub/src/auth/access-policy/; no editar a mano. Generated, do not edit. -->',
    '',
    'Quién puede llamar cada ruta REST y cada evento de socket, y cómo se rechaza a un usuario de otra campaña.',
    'Who may call each REST route and socket event, and how a user of another campaign is turned away.',
    'test/authz envía una petición real por ruta × rol (+ sin sesión, + usuario de otra campaña) y compara con esta tabla.',
    '',
    '- ✓ pasa el control de rol / passes the role check; ✗ 403 (sin sesión: 401 / no session: 401); — no usa sesión de personal / no staff session.',
    '- Campaña / campaign: **ruta** el id de campaña va en la URL; **recurso** la campaña de la fila de la URL; **parámetro** campaignId en el cuerpo o la consulta — las tres: 403 para otra campaña, o 404 donde se indica;',
    '  **filtrada** lista limitada a sus campañas; **propia** solo lo del usuario; **global** no son datos de una campaña. Los administradores pertenecen a todas las campañas.',
    '',
    '## REST',
    '',
    header,
    rule,
    ...routes,
    '',
    '## Socket.IO',
    '',
    socketHeader,
    rule,
    ...sockets,
    '',
  ].join('\n');
}
