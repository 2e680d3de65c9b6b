import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT } from './chart-spec.js';
import { ChartRenderError } from './errors.js';

export interface ChartRenderOptions {
  /**
   * TrueType font the text is drawn with. Lambda has no system fonts, and resvg draws no text
   * without one, so the bundle ships this file (DejaVu Sans: Bitstream Vera licence, bundling allowed).
   * @default DejaVuSans.ttf of the dejavu-fonts-ttf package
   */
  readonly fontFile?: string;
}

export interface RenderedChart {
  readonly png: Uint8Array;
  readonly svg: string;
  readonly width: number;
  readonly height: number;
}

/** Where the shipped TTF is (resolved through node_modules, so a bundle must carry the package or pass `fontFile`). */
export const defaultFontFile = (): string =>
  createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

/** TrueType (0x00010000, 'true') or OpenType ('OTTO') magic; woff/woff2 resvg cannot use. */
const FONT_MAGIC = new Set(['00010000', '74727565', '4f54544f']);

/** resvg silently draws no text when the font is missing, so a missing or wrong file fails here. */
function checkFont(fontFile: string): void {
  let magic = '';
  try {
    const fd = openSync(fontFile, 'r');
    const head = Buffer.alloc(4);
    readSync(fd, head, 0, 4, 0);
    closeSync(fd);
    magic = head.toString('hex');
  } catch (err) {
    throw new ChartRenderError(
      `The chart font ${fontFile} cannot be read (${(err as Error).message}): without it the chart has no text. Ship the TTF with the function and pass its path as fontFile.`,
      { cause: err },
    );
  }
  if (!FONT_MAGIC.has(magic))
    throw new ChartRenderError(
      `The chart font ${fontFile} is not a TrueType or OpenType file (starts with 0x${magic}); resvg needs a .ttf or .otf, not woff/woff2.`,
    );
}

/** Vega-Lite spec → Vega → SVG (headless, no canvas) → PNG (resvg, fonts from the TTF only). */
export async function renderChart(
  spec: Record<string, unknown>,
  options: ChartRenderOptions = {},
): Promise<RenderedChart> {
  let svg: string;
  try {
    const view = new vega.View(vega.parse(compile(spec as unknown as TopLevelSpec).spec), { renderer: 'none' });
    svg = await view.toSVG();
    view.finalize();
  } catch (err) {
    throw new ChartRenderError(`Vega could not draw the seats chart: ${(err as Error).message}`, { cause: err });
  }
  const fontFile = options.fontFile ?? defaultFontFile();
  checkFont(fontFile);
  try {
    const image = new Resvg(svg, {
      font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: CHART_FONT },
      background: '#ffffff',
    }).render();
    return { png: new Uint8Array(image.asPng()), svg, width: image.width, height: image.height };
  } catch (err) {
    throw new ChartRenderError(
      `resvg could not turn the seats chart into a PNG with the font ${fontFile}: ${(err as Error).message}. Check that the TTF ships with the function.`,
      { cause: err },
    );
  }
}
