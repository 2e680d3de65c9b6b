import type { ActionKind } from '../config/actions.js';
import type { ExecutedChange } from './changes.js';
import { localDate, isoDate } from './local-time.js';
import type { SeatPoint } from './quantities.js';

/** The font family the chart asks for; chart.ts loads it from the shipped TTF. */
export const CHART_FONT = 'DejaVu Sans';
export const CHART_SIZE = { width: 800, height: 360 } as const;

export interface ChartInput {
  /** Snapshots, any order; the last one of each local day is drawn. */
  readonly snapshots: readonly SeatPoint[];
  readonly changes: readonly ExecutedChange[];
  /** Local first days (YYYY-MM-DD) of the billing periods in view, drawn as dashed rules. */
  readonly periodStarts: readonly string[];
  /** The days shown, YYYY-MM-DD inclusive. */
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
  readonly title: string;
}

const ACTION_SERIES: Readonly<Record<ActionKind, string>> = {
  DEACTIVATE: 'Deactivated',
  MOVE_TO_NONBILLABLE: 'Moved to nonbillable',
  MOVE_TO_BILLABLE: 'Moved to billable',
  REACTIVATE: 'Reactivated',
};
const day = (iso: string, tz: string) => isoDate(localDate(Date.parse(iso), tz));

/** Billed seats per day (the day's last snapshot) and executed changes per day and action. */
export function chartData(input: ChartInput): {
  seats: { date: string; billable: number }[];
  changes: { date: string; action: string; count: number }[];
} {
  const byDay = new Map<string, { at: number; billable: number }>();
  for (const s of input.snapshots) {
    const d = day(s.takenAt, input.timeZone);
    const at = Date.parse(s.takenAt);
    if (d < input.from || d > input.to) continue;
    if ((byDay.get(d)?.at ?? -Infinity) <= at) byDay.set(d, { at, billable: s.billable });
  }
  const counts = new Map<string, number>();
  for (const c of input.changes) {
    const d = day(c.executedAt, input.timeZone);
    if (d < input.from || d > input.to) continue;
    const key = `${d}|${ACTION_SERIES[c.action]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return {
    seats: [...byDay].sort(([a], [b]) => a.localeCompare(b)).map(([date, v]) => ({ date, billable: v.billable })),
    changes: [...counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, count]) => {
        const [date, action] = k.split('|') as [string, string];
        return { date, action, count };
      }),
  };
}

/** A Vega-Lite DateTime (UTC midnight) of a YYYY-MM-DD day: the dates are local days already. */
const dateTime = (d: string) => {
  const [year, month, date] = d.split('-').map(Number) as [number, number, number];
  return { year, month, date, utc: true };
};

const x = (from: string, to: string) => ({
  field: 'date',
  type: 'temporal',
  timeUnit: 'utcyearmonthdate',
  title: null,
  scale: { domain: [dateTime(from), dateTime(to)] },
  axis: { format: '%d %b', labelAngle: 0, tickCount: 8, grid: false },
});

/**
 * The Vega-Lite spec: billed seats as a line (left axis), executed changes as stacked bars (right
 * axis), billing-period starts as dashed rules. A fixed size and white background, so the PNG is
 * the same for the same data.
 */
export function seatsChartSpec(input: ChartInput): Record<string, unknown> {
  const data = chartData(input);
  const ex = x(input.from, input.to);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...CHART_SIZE,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 12,
    background: '#ffffff',
    title: { text: input.title, anchor: 'start', fontSize: 15, fontWeight: 'bold', color: '#111827' },
    config: {
      font: CHART_FONT,
      axis: { labelFontSize: 11, titleFontSize: 12, labelColor: '#374151', titleColor: '#374151' },
      legend: { labelFontSize: 11, labelLimit: 240, orient: 'top', title: null },
      view: { stroke: null },
    },
    // Bars and rules first, so the line is drawn on top; each y axis is placed explicitly.
    layer: [
      {
        data: { values: data.changes },
        mark: { type: 'bar', opacity: 0.75 },
        encoding: {
          x: ex,
          y: {
            aggregate: 'sum',
            field: 'count',
            type: 'quantitative',
            title: 'Changes executed',
            axis: { grid: false, orient: 'right', tickMinStep: 1 },
          },
          color: {
            field: 'action',
            type: 'nominal',
            scale: { domain: Object.values(ACTION_SERIES), range: ['#1e8e3e', '#8ab4f8', '#d93025', '#f9ab00'] },
          },
        },
      },
      {
        data: { values: input.periodStarts.filter((d) => d >= input.from && d <= input.to).map((date) => ({ date })) },
        mark: { type: 'rule', strokeDash: [4, 4], color: '#9ca3af' },
        encoding: { x: ex },
      },
      {
        data: { values: data.seats },
        mark: { type: 'line', color: '#0b3b66', strokeWidth: 2.5, interpolate: 'step-after' },
        encoding: {
          x: ex,
          y: {
            field: 'billable',
            type: 'quantitative',
            title: 'Billed seats',
            scale: { zero: false, nice: true },
            axis: { gridColor: '#e5e7eb', orient: 'left' },
          },
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  };
}
