import type { ActionKind } from '../config/actions.js';
import type { ProposalItem } from '../domain/proposal.js';
import { dateTimeFormat, numberFormat } from '../shared/intl.js';

export const ACTION_LABEL: Readonly<Record<ActionKind, string>> = {
  DEACTIVATE: 'Deactivate',
  MOVE_TO_NONBILLABLE: 'Move to nonbillable policy',
  MOVE_TO_BILLABLE: 'Move to billable policy',
  REACTIVATE: 'Reactivate (undo)',
};

/** Short labels for filter buttons. */
export const ACTION_SHORT: Readonly<Record<ActionKind, string>> = {
  DEACTIVATE: 'Deactivate',
  MOVE_TO_NONBILLABLE: 'To nonbillable',
  MOVE_TO_BILLABLE: 'To billable',
  REACTIVATE: 'Reactivate',
};

/** What the action does, in a few words, for people who do not know the policy ids. */
export const ACTION_EFFECT: Readonly<Record<ActionKind, string>> = {
  DEACTIVATE: 'removes product access and the Guard seat (reversible: reactivate)',
  MOVE_TO_NONBILLABLE: 'keeps access, leaves SSO enforcement, stops Guard billing',
  MOVE_TO_BILLABLE: 'restores SSO access to Confluence, adds a Guard seat',
  REACTIVATE: 'gives back product access and the Guard seat (undoes a deactivation)',
};

/** Order in which actions are shown. */
export const ACTION_ORDER: readonly ActionKind[] = [
  'DEACTIVATE',
  'MOVE_TO_NONBILLABLE',
  'MOVE_TO_BILLABLE',
  'REACTIVATE',
];

const PRODUCT_NAMES: Readonly<Record<string, string>> = {
  'jira-software': 'Jira',
  jira: 'Jira',
  confluence: 'Confluence',
  'jira-service-desk': 'Jira Service Management',
  'jira-servicedesk': 'Jira Service Management',
};

export const productName = (key: string): string => PRODUCT_NAMES[key] ?? key;

export function money(amount: number, currency: string): string {
  return numberFormat('en-US', { style: 'currency', currency }).format(amount);
}

/** "4 Nov 2026, 03:00 CET" in the configured time zone. */
export function dateTime(epochMs: number, timeZone: string): string {
  return dateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(epochMs);
}

/** "4 Nov 2026" and "03:00 CET", for a figure split over two lines. */
export function dayAndTime(epochMs: number, timeZone: string): { day: string; time: string } {
  const day = dateTimeFormat('en-GB', { timeZone, day: 'numeric', month: 'short', year: 'numeric' }).format(epochMs);
  const time = dateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(epochMs);
  return { day, time };
}

/** YYYY-MM-DD of an ISO time in the time zone; the raw value (shortened) when it does not parse. */
export function calendarDate(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso.slice(0, 24);
  return dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

export interface ProductLastActive {
  readonly key: string;
  readonly product: string;
  /** YYYY-MM-DD, or `never`. */
  readonly date: string;
}

/** Last activity per product from an item's evidence (whatever the plan recorded). */
export function lastActiveByProduct(item: ProposalItem, timeZone: string): ProductLastActive[] {
  const products = (item.evidence as { products?: unknown }).products;
  if (!Array.isArray(products)) return [];
  return products
    .filter(
      (p): p is { key: string; lastActive?: unknown } =>
        typeof p === 'object' && p !== null && typeof (p as { key?: unknown }).key === 'string',
    )
    .map((p) => ({
      key: p.key,
      product: productName(p.key),
      date: typeof p.lastActive === 'string' ? calendarDate(p.lastActive, timeZone) : 'never',
    }));
}

/** "Confluence 2026-03-02 · Jira never", or "no product access". */
export function lastActiveText(item: ProposalItem, timeZone: string): string {
  const all = lastActiveByProduct(item, timeZone);
  return all.length === 0 ? 'no product access' : all.map((p) => `${p.product} ${p.date}`).join(' · ');
}

/** Most recent activity in any product (sortable YYYY-MM-DD), or '' when never active. */
export function latestActivity(item: ProposalItem, timeZone: string): string {
  return (
    lastActiveByProduct(item, timeZone)
      .map((p) => p.date)
      .filter((d) => d !== 'never')
      .sort()
      .at(-1) ?? ''
  );
}

export const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
