import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { escapeHtml, subjectOf } from './provider.js';
import type { LocalOidcUser } from './types.js';

/** The provider's sign-in page: inputs `login` and `password`, a "Sign in" button. */
export function loginForm(input: { action: string; clientId: string; login?: string; error?: string }): string {
  const error = input.error ? `<p id="error" role="alert">${escapeHtml(input.error)}</p>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head>
<body>
<h1>Sign in</h1>
<p>to continue to ${escapeHtml(input.clientId)} (local OpenID Provider)</p>
${error}
<form method="post" action="${escapeHtml(input.action)}" autocomplete="off">
<label>Email or username <input type="text" name="login" value="${escapeHtml(input.login ?? '')}" required autofocus></label>
<label>Password <input type="password" name="password" required></label>
<button type="submit">Sign in</button>
</form>
</body></html>`;
}

export function findUser(users: LocalOidcUser[], login: string): LocalOidcUser | undefined {
  const wanted = login.trim().toLowerCase();
  if (!wanted) return undefined;
  return users.find((u) => u.email.toLowerCase() === wanted || u.preferredUsername.toLowerCase() === wanted);
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * GET and POST /<tenant>/login/<uid>: the interaction the provider sends the browser to when it needs a
 * sign-in, done the documented way (interactionDetails, then interactionFinished with the login result).
 */
export async function handleLogin(
  provider: Provider,
  users: LocalOidcUser[],
  tenant: string,
  uid: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    html(res, 400, '<!doctype html><title>Sign-in error</title><p id="error">This sign-in page is out of date.</p>');
    return;
  }
  const clientId = String(details.params.client_id ?? '');
  const action = req.url?.split('?')[0] ?? '';
  const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;

  if (details.prompt.name === 'consent') {
    // loadExistingGrant pre-grants the known clients; a consent prompt still comes when the client asks for it
    // (prompt=consent): grant the requested scopes at once, as an admin-consented app registration would.
    const accountId = details.session?.accountId;
    if (!accountId) throw new Error('consent without a signed-in session');
    const grant = new provider.Grant({ clientId, accountId });
    grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  if (details.prompt.name !== 'login') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: `unsupported prompt ${details.prompt.name}` },
      { mergeWithLastSubmission: false },
    );
    return;
  }

  if (req.method === 'GET') {
    html(res, 200, loginForm({ action, clientId, login: hint }));
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'GET, POST' }).end();
    return;
  }

  const form = await formBody(req);
  const login = form.get('login') ?? '';
  const user = findUser(users, login);
  if (!user || user.password !== (form.get('password') ?? '')) {
    html(res, 200, loginForm({ action, clientId, login, error: 'Your account or password is incorrect.' }));
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: subjectOf(tenant, user), amr: user.mfa ? ['pwd', 'mfa'] : ['pwd'], remember: false } },
    { mergeWithLastSubmission: false },
  );
}
