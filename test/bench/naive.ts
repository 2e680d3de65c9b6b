/**
 * The naive baseline: what the vendor tutorial and popular scripts do. List the org (v1 users,
 * page by page), call last-active-dates once per account, then act on each inactive one, one call
 * at a time. On a 429 it waits until X-RateLimit-Reset and tries again (kinder than most scripts,
 * which sleep a fixed time). Run on the first `sample` accounts only; the rest is extrapolated by
 * the measured rate.
 */
import { KEY } from './common.js';

export interface NaiveFigures {
  accounts: number;
  sample: number;
  list: { requests: number; throttled: number; wallMs: number };
  lastActive: { requests: number; throttled: number; wallMs: number; msPerAccount: number };
  act: { candidates: number; requests: number; throttled: number; wallMs: number; msPerAction: number };
}

async function call(
  url: string,
  init: RequestInit = {},
): Promise<{ res: Response; requests: number; throttled: number }> {
  let requests = 0;
  let throttled = 0;
  for (;;) {
    requests += 1;
    const res = await fetch(url, { ...init, headers: { Authorization: `Bearer ${KEY}`, ...init.headers } });
    if (res.status !== 429) return { res, requests, throttled };
    throttled += 1;
    await res.arrayBuffer();
    const reset = Date.parse(res.headers.get('x-ratelimit-reset') ?? '');
    await new Promise((r) =>
      setTimeout(r, Math.max(50, (Number.isNaN(reset) ? Date.now() + 1000 : reset) - Date.now())),
    );
  }
}

export async function naiveRun(
  baseUrl: string,
  orgId: string,
  sample: number,
  inactiveDays = 90,
): Promise<NaiveFigures> {
  const t0 = performance.now();
  let url: string | undefined = `${baseUrl}/admin/v1/orgs/${orgId}/users`;
  const ids: string[] = [];
  const list = { requests: 0, throttled: 0, wallMs: 0 };
  while (url) {
    const r = await call(url);
    list.requests += r.requests;
    list.throttled += r.throttled;
    const body = (await r.res.json()) as { data: { account_id: string }[]; links: { next?: string } };
    for (const u of body.data) ids.push(u.account_id);
    url = body.links.next;
  }
  list.wallMs = Math.round(performance.now() - t0);

  const cutoff = Date.now() - inactiveDays * 86_400_000;
  const inactive: string[] = [];
  const la = { requests: 0, throttled: 0, wallMs: 0, msPerAccount: 0 };
  const t1 = performance.now();
  for (const id of ids.slice(0, sample)) {
    const r = await call(
      `${baseUrl}/admin/v1/orgs/${orgId}/directory/users/${encodeURIComponent(id)}/last-active-dates`,
    );
    la.requests += r.requests;
    la.throttled += r.throttled;
    if (r.res.status !== 200) {
      await r.res.arrayBuffer();
      continue;
    }
    const body = (await r.res.json()) as { data: { product_access: { last_active_timestamp: number }[] } };
    const last = Math.max(0, ...body.data.product_access.map((p) => p.last_active_timestamp * 1000));
    if (last < cutoff) inactive.push(id);
  }
  la.wallMs = Math.round(performance.now() - t1);
  la.msPerAccount = +(la.wallMs / Math.min(sample, ids.length)).toFixed(1);

  const act = { candidates: inactive.length, requests: 0, throttled: 0, wallMs: 0, msPerAction: 0 };
  const t2 = performance.now();
  for (const id of inactive) {
    const r = await call(`${baseUrl}/users/${encodeURIComponent(id)}/manage/lifecycle/disable`, { method: 'POST' });
    await r.res.arrayBuffer();
    act.requests += r.requests;
    act.throttled += r.throttled;
  }
  act.wallMs = Math.round(performance.now() - t2);
  act.msPerAction = inactive.length > 0 ? +(act.wallMs / inactive.length).toFixed(1) : 0;
  return { accounts: ids.length, sample: Math.min(sample, ids.length), list, lastActive: la, act };
}
