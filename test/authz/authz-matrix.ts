import { allowsRoles, routeKey, type RoutePolicy } from '../../hub/src/auth/access-policy/access-policy.js';
import { CALLERS, FOREIGN_ROLES, type AuthzWorld, type Caller, type Outcome } from './authz-world.js';

/**
 * Routes whose URL names a row this world does not seed (an SLA evaluation, a voicemail, a
 * recording, a purge certificate, an ARCO request): the handler looks the row up before its role
 * check, so every caller meets a 404 first. The role gate there is declared from the code and
 * checked only as "not let through"; seeding those rows is the way to prove more.
 */
export const UNSEEDED = new Set([
  'GET /api/v1/sla/evaluations/:id',
  'PUT /api/v1/sla/evaluations/:id/rows/:rowId',
  'POST /api/v1/sla/evaluations/:id/validate',
  'GET /api/v1/sla/evaluations/:id/report',
  'POST /api/v1/voice/voicemails/:id/callback',
  'GET /api/v1/voice/recordings/:recordingSid',
  'GET /api/v1/privacy/purge-certificates/:id',
  'GET /api/v1/privacy/purge-certificates/:id/pdf',
  'GET /api/v1/privacy/arco-requests/:id',
  'GET /api/v1/privacy/arco-requests/:id/export',
  'POST /api/v1/privacy/arco-requests/:id/rectify',
  'POST /api/v1/privacy/arco-requests/:id/cancel',
  'POST /api/v1/privacy/arco-requests/:id/resolve',
]);

export type Expected = 'allowed' | 'unauthenticated' | 'denied';

/** What the declared policy says this caller gets from this route. */
export function expectedFor(rule: Pick<RoutePolicy, 'access' | 'campaign'>, caller: Caller): Expected {
  if (rule.access.kind === 'public') return 'allowed';
  if (caller === 'anonymous') return 'unauthenticated';
  if (caller === 'foreign') {
    if (!allowsRoles(rule.access, FOREIGN_ROLES)) return 'denied';
    return rule.campaign === 'path' || rule.campaign === 'resource' || rule.campaign === 'input' ? 'denied' : 'allowed';
  }
  return allowsRoles(rule.access, [caller]) ? 'allowed' : 'denied';
}

/** The session gate's refusals (authenticate.ts): no token, a bad one, or a closed session. */
const UNAUTHENTICATED = new Set(['HUB_ERR_AUTH_REQUIRED', 'HUB_ERR_AUTH_TOKEN_INVALID', 'HUB_ERR_AUTH_SESSION_REVOKED']);
/** The role and campaign gate's refusals (principal.ts authorize). */
const FORBIDDEN = new Set(['HUB_ERR_FORBIDDEN_ROLE', 'HUB_ERR_FORBIDDEN_CAMPAIGN']);

/**
 * Outcome classes by status and stable code: a 401 for a wrong TOTP code or a 403 "not the
 * assignee" is a caller who got through the gate and was stopped by the operation's own rule.
 */
function matches(rule: RoutePolicy, caller: Caller, expected: Expected, outcome: Outcome): boolean {
  const { status, code = '' } = outcome;
  const unauthenticated = status === 401 && UNAUTHENTICATED.has(code);
  const forbidden = status === 403 && FORBIDDEN.has(code);
  if (expected === 'unauthenticated') return unauthenticated;
  if (expected === 'allowed') return !unauthenticated && !forbidden;
  if (UNSEEDED.has(routeKey(rule))) return forbidden || status === 404;
  if (caller === 'foreign' && rule.foreignDenial === 404 && allowsRoles(rule.access, FOREIGN_ROLES)) return status === 404;
  return forbidden;
}

export interface Mismatch {
  route: string;
  caller: Caller;
  expected: Expected;
  got: string;
}

/**
 * Sends every caller's request to every route and returns where the answer differs from the
 * policy. Per route, the callers the policy turns away go first (a wrongly allowed DELETE must not
 * hide behind a row an allowed caller already removed); routes run one after another, DELETEs last.
 */
export async function runMatrix(w: AuthzWorld, rules: readonly RoutePolicy[]): Promise<Mismatch[]> {
  const ordered = [...rules.filter((r) => r.method !== 'DELETE'), ...rules.filter((r) => r.method === 'DELETE')];
  const mismatches: Mismatch[] = [];
  for (const rule of ordered) {
    const callers: readonly Caller[] = rule.access.kind === 'public' ? ['anonymous', 'admin'] : CALLERS;
    const expectations = callers.map((caller) => ({ caller, expected: expectedFor(rule, caller) }));
    const first = expectations.filter((e) => e.expected !== 'allowed');
    const then = expectations.filter((e) => e.expected === 'allowed');
    const outcomes = new Map<Caller, Outcome>();
    for (const phase of [first, then]) {
      await Promise.all(phase.map(async ({ caller }) => outcomes.set(caller, await w.call(caller, rule.method, rule.url))));
    }
    for (const { caller, expected } of expectations) {
      const outcome = outcomes.get(caller);
      if (rule.access.kind === 'public') continue;
      if (outcome && !matches(rule, caller, expected, outcome)) {
        mismatches.push({ route: routeKey(rule), caller, expected, got: `${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}` });
      }
    }
    if (rule.access.kind === 'public') {
      // A staff token opens nothing on a public route: with or without it, the same answer.
      const anonymous = outcomes.get('anonymous');
      const admin = outcomes.get('admin');
      if (anonymous && admin && anonymous.status !== admin.status) {
        mismatches.push({ route: routeKey(rule), caller: 'admin', expected: 'allowed', got: `${admin.status} with a staff token, ${anonymous.status} without` });
      }
      if (rule.access.guard === 'none' && anonymous && (anonymous.status === 401 || anonymous.status === 403)) {
        mismatches.push({ route: routeKey(rule), caller: 'anonymous', expected: 'allowed', got: String(anonymous.status) });
      }
    }
  }
  return mismatches;
}
