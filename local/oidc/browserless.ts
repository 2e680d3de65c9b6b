interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/** Enough of a cookie jar for one origin: name, value and path, expiry only as "deleted". */
class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  store(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = '/';
      let expired = value === '';
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=');
        const key = k.trim().toLowerCase();
        if (key === 'path') path = v.trim() || '/';
        if (key === 'max-age' && Number(v) <= 0) expired = true;
        if (key === 'expires' && Date.parse(v) <= Date.now()) expired = true;
      }
      const id = `${path}\n${name}`;
      if (expired) this.cookies.delete(id);
      else this.cookies.set(id, { name, value, path });
    }
  }

  header(url: URL): string {
    return [...this.cookies.values()]
      .filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

function formAction(html: string, base: URL): URL | undefined {
  if (!/<input[^>]+name="login"/.test(html)) return undefined;
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  return action === undefined ? undefined : new URL(action.replace(/&amp;/g, '&'), base);
}

function errorText(html: string): string {
  const raw = /id="error"[^>]*>([^<]*)</.exec(html)?.[1] ?? html.slice(0, 200);
  return raw.replace(/&#(\d+);/g, (_m, code: string) => String.fromCharCode(Number(code))).trim();
}

/**
 * Signs in at the local OpenID Provider as a browser would, without one: follows the provider's redirects
 * from `authorizationUrl`, fills in its sign-in form, and returns the URL the provider redirects back to
 * (the client's redirect_uri with `code` and `state`, or with `error`), without requesting it.
 * Throws when the provider shows an error page or refuses the credentials.
 */
export async function signInWithoutBrowser(
  authorizationUrl: string | URL,
  credentials: { login: string; password: string },
): Promise<string> {
  const start = new URL(authorizationUrl);
  const origin = start.origin;
  const redirectUri = start.searchParams.get('redirect_uri');
  // Everything the provider serves sits under /<tenant>/ (the authorization endpoint is /<tenant>/oauth2/...).
  const providerPrefix = `${start.pathname.split('/oauth2/')[0]}/`;
  const jar = new CookieJar();
  let url = start;
  let init: RequestInit = { method: 'GET' };
  let posted = false;

  for (let hop = 0; hop < 20; hop++) {
    const cookie = jar.header(url);
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    jar.store(res.headers.getSetCookie());

    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      if (!location) throw new Error(`local OpenID Provider: ${res.status} without a Location from ${url.pathname}`);
      const next = new URL(location, url);
      const toClient = redirectUri !== null && `${next.origin}${next.pathname}` === redirectUri.split(/[?#]/)[0];
      if (toClient || next.origin !== origin || !next.pathname.startsWith(providerPrefix)) {
        return next.href;
      }
      url = next;
      init = { method: 'GET' };
      continue;
    }

    const body = await res.text();
    const action = res.ok ? formAction(body, url) : undefined;
    if (!action) throw new Error(`local OpenID Provider: ${res.status} at ${url.pathname}: ${errorText(body)}`);
    if (posted) throw new Error(`local OpenID Provider refused the sign-in: ${errorText(body)}`);
    posted = true;
    url = action;
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ login: credentials.login, password: credentials.password }).toString(),
    };
  }
  throw new Error('local OpenID Provider: too many redirects');
}
