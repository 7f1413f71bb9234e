/**
 * PNG backend: SVG (from the wasm Graphviz) → PNG through resvg (@resvg/resvg-js, pinned), with
 * the Liberation fonts shipped in `fonts/`, so the raster is byte-identical on every machine
 * and never depends on the fonts a machine happens to have.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Resvg as ResvgClass, ResvgRenderOptions } from '@resvg/resvg-js';

/** Options of {@link svgToPng}. */
export interface PngOptions {
  /**
   * Pixels per SVG point. Graphviz already folds the graph's `dpi` into the SVG size
   * (`width` = inches · dpi, in pt), so 1 gives the pixel size of `dot -Tpng`.
   * @default 1
   * @see https://graphviz.org/docs/attrs/dpi/
   */
  readonly scale?: number;
  /**
   * Largest image, in pixels, that will be drawn. resvg allocates 4 bytes a pixel up front
   * and then compresses them all: 370 megapixels took 19 s and 3 GB here, 9 gigapixels
   * never finished.
   * @default MAX_PNG_PIXELS
   */
  readonly maxPixels?: number;
}

/** Default {@link PngOptions.maxPixels}: 2^28 pixels (1 GiB of RGBA), e.g. 16384 × 16384. */
export const MAX_PNG_PIXELS = 2 ** 28;

const SANS = 'Liberation Sans';
const SERIF = 'Liberation Serif';

// Relative to this module: src/backends/png.ts (vitest), dist/backends/png.js and the bundled
// dist/bin/densegraph.mjs all sit two levels below the package root.
const FONT_FILES = ['LiberationSans-Regular', 'LiberationSans-Bold', 'LiberationSerif-Regular', 'LiberationSerif-Bold'].map((name) =>
  fileURLToPath(new URL(`../../fonts/${name}.ttf`, import.meta.url)),
);

// Families the wasm Graphviz sizes with Helvetica metrics (Liberation Sans is metric-compatible
// with Helvetica/Arial) or with wider ones (DejaVu Sans, Verdana): drawn in Liberation Sans they
// fill or undershoot their boxes. Graphviz sizes every other family with Times metrics,
// `sans-serif` included (reference/rendering.md), or with Courier's wider ones, so those are
// drawn in Liberation Serif, metric-compatible with Times: a sans face there touches or
// overflows the record cells of the keras2 style.
const SANS_FAMILIES = new Set(['helvetica', 'arial', 'liberation sans', 'arimo', 'dejavu sans', 'verdana']);

/**
 * The shipped face for a Graphviz `font-family` list, decided by its first name, the one
 * Graphviz measured. resvg-js 2.6.2 cannot do this itself: it points every generic family
 * (`serif`, `sans-serif`, …) at `defaultFontFamily` and ignores `serifFamily`/`sansSerifFamily`.
 */
export function shippedFamily(fontFamily: string): typeof SANS | typeof SERIF {
  const first = fontFamily.split(',')[0]!.trim().replace(/^['"]|['"]$/g, '').toLowerCase();
  return SANS_FAMILIES.has(first) ? SANS : SERIF;
}

let resvgClass: typeof ResvgClass | undefined;

function loadResvg(): typeof ResvgClass {
  if (resvgClass) return resvgClass;
  // resvg is a native addon: required lazily, so importing densegraph (or printing DOT) never
  // loads it, and required through createRequire so the CLI bundler leaves it alone and Node
  // finds the platform binary in node_modules at run time. Sync, unlike import().
  const missing = FONT_FILES.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    // Without its fonts resvg draws no text and says nothing: a broken install, not a user error.
    throw new Error(`densegraph is installed without its fonts (missing ${missing.join(', ')}); reinstall the package`);
  }
  resvgClass = (createRequire(import.meta.url)('@resvg/resvg-js') as typeof import('@resvg/resvg-js')).Resvg;
  return resvgClass;
}

/**
 * Renders Graphviz SVG to PNG bytes, like `dot -Tpng`: one pixel per pt of the SVG's size
 * (which already holds the graph's `dpi`), times `scale`, rounded to whole pixels; opaque white
 * background; text in the shipped Liberation fonts, never the machine's. Deterministic: the
 * same SVG gives the same bytes on every run, process and machine.
 *
 * Synchronous and CPU-bound (text set-up, raster and PNG compression; tens of ms for a small
 * model, seconds for a thousand layers): run big batches in a worker. Characters the Liberation
 * fonts lack (Hangul, CJK, …) come out as empty boxes or blanks. Throws a RangeError for a
 * scale that is not a positive finite number and for an image larger than `maxPixels`.
 */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const scale = options.scale ?? 1;
  if (!(Number.isFinite(scale) && scale > 0)) throw new RangeError(`PNG scale must be a positive number, got ${scale}`);
  const Resvg = loadResvg();
  const text = svg.replace(/font-family="([^"]*)"/g, (_, family: string) => `font-family="${shippedFamily(family)}"`);
  const renderOptions: ResvgRenderOptions = {
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: SANS },
    // The SVG size is in pt and Graphviz means one pt per pixel (`dot -Tpng`); resvg converts
    // pt with `dpi / 72`, so 72 makes it one pixel.
    dpi: 72,
    fitTo: scale === 1 ? { mode: 'original' } : { mode: 'zoom', value: scale },
    background: 'white',
    logLevel: 'off',
  };
  const resvg = new Resvg(text, renderOptions);
  // Checked before render(), which would allocate the whole pixmap. resvg rounds the same way.
  const [width, height] = [Math.round(resvg.width * scale), Math.round(resvg.height * scale)];
  const maxPixels = options.maxPixels ?? MAX_PNG_PIXELS;
  if (width * height > maxPixels) {
    throw new RangeError(`the PNG would be ${width} × ${height} pixels, more than the limit of ${maxPixels}: lower the dpi or the scale, or write SVG`);
  }
  return resvg.render().asPng();
}
