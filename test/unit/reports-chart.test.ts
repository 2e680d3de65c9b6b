import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import {
  chartData,
  ChartRenderError,
  CHART_SIZE,
  renderChart,
  seatsChartSpec,
  type ChartInput,
} from '../../lambdas/reports/index.js';
import { change, financeWorld } from '../helpers/reports.js';

/** Decodes a PNG by drawing it inside an SVG with resvg: RGBA pixels, no other decoder needed. */
function pixels(png: Uint8Array, width: number, height: number): Uint8Array {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}"><image width="${width}" height="${height}" xlink:href="data:image/png;base64,${Buffer.from(png).toString('base64')}"/></svg>`;
  return new Uint8Array(new Resvg(svg).render().pixels);
}

/** Dark pixels (text, the line) in a rectangle. */
function darkIn(px: Uint8Array, width: number, box: { x0: number; y0: number; x1: number; y1: number }): number {
  let n = 0;
  for (let y = box.y0; y < box.y1; y++)
    for (let x = box.x0; x < box.x1; x++) {
      const i = (y * width + x) * 4;
      if (px[i]! < 110 && px[i + 1]! < 110 && px[i + 2]! < 110) n++;
    }
  return n;
}

const world = financeWorld({ from: '2026-01-01', days: 140 });
const INPUT: ChartInput = {
  snapshots: world.snapshots,
  changes: world.changes,
  periodStarts: ['2026-01-15', '2026-02-15', '2026-03-15', '2026-04-15', '2026-05-15'],
  from: '2026-01-01',
  to: '2026-05-20',
  timeZone: 'UTC',
  title: 'Guard Standard seats billed, Jan – May 2026',
};

describe('seats chart', () => {
  it('renders a PNG of the fixed size with the title, axes and the line drawn', async () => {
    const chart = await renderChart(seatsChartSpec(INPUT));
    const png = chart.png;
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([CHART_SIZE.width, CHART_SIZE.height]);
    expect([chart.width, chart.height]).toEqual([800, 360]);
    const px = pixels(png, 800, 360);
    // The title sits in the top-left corner: with no font loaded this area stays white.
    expect(darkIn(px, 800, { x0: 0, y0: 0, x1: 360, y1: 30 })).toBeGreaterThan(300);
    // The axis labels on the left are text too: drawn without a font, the same area is empty.
    const labels = { x0: 0, y0: 60, x1: 50, y1: 340 };
    const fontless = new Resvg(chart.svg, { font: { loadSystemFonts: false } }).render();
    expect(darkIn(new Uint8Array(fontless.pixels), 800, labels)).toBe(0);
    expect(darkIn(px, 800, labels)).toBeGreaterThan(80);
    // The navy line in the plot.
    expect(darkIn(px, 800, { x0: 100, y0: 60, x1: 700, y1: 330 })).toBeGreaterThan(500);
    expect(chart.svg).toContain('Guard Standard seats billed');
    expect(chart.svg).toContain('font-family="DejaVu Sans"');
  });

  it('draws the same bytes for the same data', async () => {
    const a = await renderChart(seatsChartSpec(INPUT));
    const b = await renderChart(seatsChartSpec(INPUT));
    expect(Buffer.from(a.png).equals(Buffer.from(b.png))).toBe(true);
  });

  it('refuses to draw a chart without text when the TTF is missing or not a TTF', async () => {
    await expect(renderChart(seatsChartSpec(INPUT), { fontFile: '/nonexistent/font.ttf' })).rejects.toThrow(
      ChartRenderError,
    );
    await expect(renderChart(seatsChartSpec(INPUT), { fontFile: '/nonexistent/font.ttf' })).rejects.toThrow(
      /\/nonexistent\/font.ttf cannot be read/,
    );
    await expect(renderChart(seatsChartSpec(INPUT), { fontFile: fileURLToPath(import.meta.url) })).rejects.toThrow(
      /is not a TrueType or OpenType file/,
    );
  });

  it('says so when the spec cannot be drawn', async () => {
    await expect(renderChart({ mark: 'nonsense' })).rejects.toThrow(/Vega could not draw the seats chart/);
  });
});

describe('chartData', () => {
  it('keeps the last count of each local day, inside the window, in order', () => {
    const data = chartData({
      ...INPUT,
      timeZone: 'Europe/Berlin',
      from: '2026-03-01',
      to: '2026-03-02',
      snapshots: [
        { takenAt: '2026-03-02T10:00:00Z', billable: 7 },
        { takenAt: '2026-03-01T02:00:00Z', billable: 10 },
        { takenAt: '2026-03-01T20:00:00Z', billable: 9 },
        { takenAt: '2026-02-28T23:30:00Z', billable: 11 }, // 00:30 on 1 March in Berlin
        { takenAt: '2026-02-28T22:30:00Z', billable: 12 }, // 23:30 on 28 February: outside
        { takenAt: '2026-03-02T23:30:00Z', billable: 1 }, // 3 March in Berlin: outside
      ],
      changes: [],
    });
    expect(data.seats).toEqual([
      { date: '2026-03-01', billable: 9 },
      { date: '2026-03-02', billable: 7 },
    ]);
  });

  it('counts executed changes per local day and action', () => {
    const data = chartData({
      ...INPUT,
      from: '2026-03-01',
      to: '2026-03-31',
      changes: [
        change({ executedAt: '2026-03-03T10:00:00Z' }),
        change({ executedAt: '2026-03-03T11:00:00Z' }),
        change({ executedAt: '2026-03-03T12:00:00Z', action: 'MOVE_TO_NONBILLABLE' }),
        change({ executedAt: '2026-03-04T12:00:00Z', action: 'MOVE_TO_BILLABLE' }),
        change({ executedAt: '2026-04-01T00:00:00Z' }),
      ],
    });
    expect(data.changes).toEqual([
      { date: '2026-03-03', action: 'Deactivated', count: 2 },
      { date: '2026-03-03', action: 'Moved to nonbillable', count: 1 },
      { date: '2026-03-04', action: 'Moved to billable', count: 1 },
    ]);
  });

  it('draws only the billing days inside the window', () => {
    const spec = seatsChartSpec({ ...INPUT, from: '2026-02-01', to: '2026-03-31' }) as {
      layer: { data: { values: unknown[] } }[];
    };
    expect(spec.layer[1]!.data.values).toEqual([{ date: '2026-02-15' }, { date: '2026-03-15' }]);
  });

  it('gives every kind of executed change a colour of its own (a reactivation is not drawn as a deactivation)', () => {
    const scales = [
      ...JSON.stringify(seatsChartSpec(INPUT)).matchAll(/"scale":\{"domain":(\[[^\]]*\]),"range":(\[[^\]]*\])/g),
    ];
    expect(scales).toHaveLength(1);
    const [domain, range] = [JSON.parse(scales[0]![1]!), JSON.parse(scales[0]![2]!)] as [string[], string[]];
    expect(domain).toContain('Reactivated');
    expect(range).toHaveLength(domain.length);
    expect(new Set(range).size).toBe(range.length);
  });
});
