/** Graph resources the simulator serves under /v1.0: users, one user, a group's transitive members, domains. */
import { randomUUID } from 'node:crypto';
import { domains, type SimDomain } from './domains.js';
import { Errors, GraphSimError, ok, type SimResponse } from './errors.js';
import type { SimGroup, SimUser, TenantModel } from './model.js';
import { MAX_PAGE_SIZE, MAX_SIGN_IN_PAGE_SIZE, page, parseSelect, parseSkipToken, parseTop } from './odata.js';
import type { RouteName, SimPermission } from './types.js';

export interface GraphState {
  readonly model: TenantModel;
  /** The tenant's domains (`GET /domains`), changeable at runtime. */
  readonly domains: SimDomain[];
  readonly permissions: Set<SimPermission>;
  premium: boolean;
  /** `https://127.0.0.1:<port>/v1.0` */
  readonly versionRoot: () => string;
}

export interface GraphCall {
  readonly method: string;
  /** Path below the version root: `/groups/{id}/transitiveMembers`. */
  readonly path: string;
  readonly query: URLSearchParams;
}

const USER_PROPS = new Set([
  'id',
  'displayName',
  'userPrincipalName',
  'mail',
  'accountEnabled',
  'signInActivity',
  'userType',
]);
/** Graph's default user properties (accountEnabled is NOT among them: a client must $select it). */
const DEFAULT_USER_PROPS = ['id', 'displayName', 'userPrincipalName', 'mail'];
const GROUP_PROPS = new Set(['id', 'displayName', 'mail', 'description']);
const MEMBER_PROPS = new Set([...USER_PROPS, ...GROUP_PROPS].filter((p) => p !== 'signInActivity'));

function userValue(u: SimUser, prop: string): unknown {
  switch (prop) {
    case 'id':
      return u.id;
    case 'displayName':
      return u.displayName;
    case 'userPrincipalName':
      return u.userPrincipalName;
    case 'mail':
      return u.mail;
    case 'accountEnabled':
      return u.accountEnabled;
    case 'userType':
      return 'Member';
    case 'signInActivity':
      return u.lastSignIn === undefined
        ? null
        : {
            lastSignInDateTime: u.lastSignIn,
            lastSignInRequestId: randomUUID(),
            lastNonInteractiveSignInDateTime: u.lastSignIn,
            lastSuccessfulSignInDateTime: u.lastSignIn,
            lastSuccessfulSignInRequestId: randomUUID(),
          };
    default:
      return null;
  }
}

/** A user as Graph renders it; `limited`: the caller may see the member but not read users (ids only). */
function renderUser(
  u: SimUser,
  select: readonly string[] | undefined,
  opts: { typed: boolean; limited: boolean },
): Record<string, unknown> {
  const out: Record<string, unknown> = opts.typed ? { '@odata.type': '#microsoft.graph.user' } : {};
  for (const p of select ?? DEFAULT_USER_PROPS) out[p] = opts.limited && p !== 'id' ? null : userValue(u, p);
  return out;
}

function renderGroup(g: SimGroup, select: readonly string[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.type': '#microsoft.graph.group' };
  for (const p of select ?? ['id', 'displayName']) {
    if (p === 'id') out.id = g.id;
    else if (p === 'displayName') out.displayName = g.displayName;
    else if (GROUP_PROPS.has(p)) out[p] = null;
  }
  return out;
}

function needPermission(state: GraphState, permission: SimPermission): void {
  if (!state.permissions.has(permission)) throw Errors.denied();
}

function transitiveMembers(state: GraphState, groupId: string, call: GraphCall): SimResponse {
  needPermission(state, 'GroupMember.Read.All');
  const all = state.model.transitive(groupId);
  if (!all) throw Errors.notFound(groupId);
  const select = parseSelect(
    call.query,
    new Set([...MEMBER_PROPS, 'signInActivity']),
    'microsoft.graph.directoryObject',
  );
  if (select?.includes('signInActivity'))
    throw Errors.unsupported("Property 'signInActivity' is not supported on this relationship; read it from /users.");
  const top = parseTop(call.query, MAX_PAGE_SIZE);
  const listing = `transitiveMembers:${groupId}`;
  const limited = !state.permissions.has('User.Read.All');
  const body = page(
    all,
    { top, offset: parseSkipToken(call.query, listing) },
    {
      versionRoot: state.versionRoot(),
      path: call.path,
      query: call.query,
      listing,
      context: `${state.versionRoot()}/$metadata#directoryObjects`,
    },
    (o) => (o.kind === 'user' ? renderUser(o.user, select, { typed: true, limited }) : renderGroup(o.group, select)),
  );
  return ok(body);
}

function users(state: GraphState, call: GraphCall): SimResponse {
  const select = parseSelect(call.query, USER_PROPS, 'microsoft.graph.user');
  const withSignIn = select?.includes('signInActivity') ?? false;
  if (withSignIn && !state.premium) throw Errors.nonPremium();
  if (withSignIn) needPermission(state, 'AuditLog.Read.All');
  needPermission(state, 'User.Read.All');
  const top = parseTop(call.query, withSignIn ? MAX_SIGN_IN_PAGE_SIZE : MAX_PAGE_SIZE);
  const listing = 'users';
  const context = `${state.versionRoot()}/$metadata#users${select ? `(${select.join(',')})` : ''}`;
  const all = state.model.allUsers();
  return ok(
    page(
      all,
      { top, offset: parseSkipToken(call.query, listing) },
      { versionRoot: state.versionRoot(), path: call.path, query: call.query, listing, context },
      (u) => renderUser(u, select, { typed: false, limited: false }),
    ),
  );
}

function user(state: GraphState, id: string, call: GraphCall): SimResponse {
  const select = parseSelect(call.query, USER_PROPS, 'microsoft.graph.user');
  if (select?.includes('signInActivity')) {
    if (!state.premium) throw Errors.nonPremium();
    needPermission(state, 'AuditLog.Read.All');
  }
  needPermission(state, 'User.Read.All');
  const u = state.model.users.get(id);
  if (!u) throw Errors.notFound(id);
  return ok({
    '@odata.context': `${state.versionRoot()}/$metadata#users/$entity`,
    ...renderUser(u, select, { typed: false, limited: false }),
  });
}

/** Route of a path below the version root, or a Graph 400 for an unknown segment. */
export function routeOf(method: string, path: string): { route: RouteName; params: Record<string, string> } {
  let m: RegExpExecArray | null;
  if ((m = /^\/groups\/([^/]+)\/transitiveMembers$/i.exec(path)))
    return ensureGet(method, { route: 'transitiveMembers', params: { groupId: decodeURIComponent(m[1]!) } });
  if (/^\/users$/i.test(path)) return ensureGet(method, { route: 'users', params: {} });
  if (/^\/domains$/i.test(path)) return ensureGet(method, { route: 'domains', params: {} });
  if ((m = /^\/users\/([^/]+)$/i.exec(path)))
    return ensureGet(method, { route: 'user', params: { userId: decodeURIComponent(m[1]!) } });
  if (path === '/$batch') {
    if (method !== 'POST')
      throw new GraphSimError(405, 'Request_BadRequest', `The HTTP method '${method}' is not allowed for $batch.`);
    return { route: 'batch', params: {} };
  }
  throw Errors.noSegment(path.split('/').filter(Boolean)[0] ?? '');
}

function ensureGet(
  method: string,
  r: { route: RouteName; params: Record<string, string> },
): { route: RouteName; params: Record<string, string> } {
  if (method !== 'GET')
    throw new GraphSimError(
      405,
      'Request_BadRequest',
      `The HTTP method '${method}' is not supported by the simulator for ${r.route}.`,
    );
  return r;
}

/** Answers one Graph GET (direct or from inside a $batch). Throws GraphSimError for Graph errors. */
export function answer(
  state: GraphState,
  route: RouteName,
  params: Record<string, string>,
  call: GraphCall,
): SimResponse {
  if (route === 'transitiveMembers') return transitiveMembers(state, params.groupId!, call);
  if (route === 'users') return users(state, call);
  if (route === 'user') return user(state, params.userId!, call);
  if (route === 'domains') return domains(state, call);
  throw new Error(`graph sim: no handler for ${route}`);
}
