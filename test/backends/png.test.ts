import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { shippedFamily, svgToPng } from '../../src/backends/png.js';
import { dotToSvg } from '../../src/backends/svg.js';
import { fixturePath, readFixture } from '../helpers.js';

const exec = promisify(execFile);

interface Image {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/** Decodes the PNGs resvg writes (8-bit RGBA, not interlaced), so tests can look at pixels. */
function decodePng(png: Uint8Array): Image {
  expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const idat: Uint8Array[] = [];
  let width = 0;
  let height = 0;
  for (let at = 8; at < png.length; ) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      expect([...data.subarray(8)], 'bit depth 8, RGBA, no interlace').toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? rgba[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      rgba[y * stride + x] = (line[x]! + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

/** The SVG's size in pt, which Graphviz means as pixels at the graph's dpi. */
function svgSize(svg: string): [number, number] {
  const m = /<svg width="([\d.]+)pt" height="([\d.]+)pt"/.exec(svg);
  if (!m) throw new Error('no pt size on the SVG root');
  return [Number(m[1]), Number(m[2])];
}

/**
 * Pixel box of the first `<text>` holding `content`, from its x/y/font-size and the graph's
 * `scale(s) … translate(tx ty)` transform. The width is a generous estimate (0.6 em a char).
 */
function textBox(svg: string, content: string): { x0: number; x1: number; y0: number; y1: number } {
  const t = /transform="scale\(([\d.]+) [\d.]+\) rotate\(0\) translate\(([\d.]+) ([\d.]+)\)"/.exec(svg)!;
  const [s, tx, ty] = [Number(t[1]), Number(t[2]), Number(t[3])];
  const re = new RegExp(`<text[^>]*text-anchor="(\\w+)" x="([-\\d.]+)" y="([-\\d.]+)"[^>]*font-size="([\\d.]+)"[^>]*>${content}</text>`);
  const m = re.exec(svg);
  if (!m) throw new Error(`no <text> ${content} in the SVG`);
  const [anchor, x, y, size] = [m[1]!, Number(m[2]), Number(m[3]), Number(m[4])];
  const w = 0.6 * size * content.length;
  const left = anchor === 'middle' ? x - w / 2 : x;
  return { x0: Math.floor((left + tx) * s), x1: Math.ceil((left + w + tx) * s), y0: Math.floor((y - 0.75 * size + ty) * s), y1: Math.ceil((y + ty) * s) };
}

/** Share of the box's pixels that are light (`'light'`) or dark (`'dark'`). */
function inkShare(img: Image, box: ReturnType<typeof textBox>, ink: 'light' | 'dark'): number {
  let hits = 0;
  let all = 0;
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const i = (y * img.width + x) * 4;
      const lum = (img.rgba[i]! + img.rgba[i + 1]! + img.rgba[i + 2]!) / 3;
      if (ink === 'light' ? lum > 160 : lum < 96) hits++;
      all++;
    }
  }
  return hits / all;
}

const withoutText = (svg: string) => svg.replace(/<text[^>]*>[^<]*<\/text>/g, '');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const keras3Svg = readFixture('fixtures/golden/seed/binary-classifier.svg');
let keras2Svg: string;
beforeAll(async () => {
  keras2Svg = await dotToSvg(readFixture('fixtures/golden/seed/binary-classifier.keras2.dot'));
});

describe('svgToPng', () => {
  // keras3 draws the layer name in white bold on a black bar; keras2 in black Times on white.
  const cases = [
    { style: 'keras3', svg: () => keras3Svg, name: 'dense_1', ink: 'light' as const, size: [974, 947] },
    { style: 'keras2', svg: () => keras2Svg, name: 'dense_input', ink: 'dark' as const, size: [302, 425] },
  ];

  for (const c of cases) {
    it(`${c.style}: a PNG of the SVG's pt size in pixels, the same bytes every time`, () => {
      const svg = c.svg();
      expect(svgSize(svg)).toEqual(c.size);
      const png = svgToPng(svg);
      const img = decodePng(png);
      expect([img.width, img.height]).toEqual(c.size);
      expect(sha256(svgToPng(svg))).toBe(sha256(png));
      // Opaque white even where the SVG paints nothing (here: without Graphviz's white page).
      const page = /<polygon fill="white" stroke="none" points="-4,4 [^"]*"\/>\n/;
      expect(svg).toMatch(page);
      const bare = decodePng(svgToPng(svg.replace(page, '')));
      expect([...bare.rgba.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
    });

    it(`${c.style}: draws the layer name (compared with the same SVG without text)`, () => {
      const svg = c.svg();
      const box = textBox(svg, c.name);
      const drawn = inkShare(decodePng(svgToPng(svg)), box, c.ink);
      const blank = inkShare(decodePng(svgToPng(withoutText(svg))), box, c.ink);
      // The estimated box may clip a cell border; the glyphs must add clearly more ink.
      expect(blank).toBeLessThan(0.05);
      expect(drawn - blank).toBeGreaterThan(0.08);
    });
  }

  it('scales the pixel size', () => {
    const img = decodePng(svgToPng(keras3Svg, { scale: 2 }));
    expect([img.width, img.height]).toEqual([1948, 1894]);
    const half = decodePng(svgToPng(keras2Svg, { scale: 0.5 }));
    expect([half.width, half.height]).toEqual([151, 213]); // 212.5 rounds up
  });

  it('refuses an image over the pixel limit before drawing it', () => {
    expect(decodePng(svgToPng(keras3Svg, { maxPixels: 974 * 947 })).width).toBe(974);
    expect(() => svgToPng(keras3Svg, { maxPixels: 974 * 947 - 1 })).toThrow(/974 × 947 pixels, more than the limit/);
    // 19 480 × 18 940 pixels at the default limit: refused at once, not after 30 s and 3 GB.
    expect(() => svgToPng(keras3Svg, { scale: 20 })).toThrow(RangeError);
  });

  it('refuses a scale that is not a positive number', () => {
    for (const scale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => svgToPng(keras3Svg, { scale })).toThrow(RangeError);
  });

  it('draws bold where the SVG says bold (the bold face is loaded)', () => {
    const regular = keras3Svg.replace(/ font-weight="bold"/g, '');
    expect(regular).not.toBe(keras3Svg);
    expect(sha256(svgToPng(regular))).not.toBe(sha256(svgToPng(keras3Svg)));
  });

  it('draws Graphviz Times text in Liberation Serif and Helvetica text in Liberation Sans', () => {
    const force = (svg: string, family: string) => svg.replace(/font-family="[^"]*"/g, `font-family="${family}"`);
    expect(keras2Svg).toContain('font-family="Times,serif"');
    expect(sha256(svgToPng(keras2Svg))).toBe(sha256(svgToPng(force(keras2Svg, 'Liberation Serif'))));
    expect(sha256(svgToPng(keras2Svg))).not.toBe(sha256(svgToPng(force(keras2Svg, 'Liberation Sans'))));
    expect(keras3Svg).toContain('font-family="Helvetica,sans-Serif"');
    expect(sha256(svgToPng(keras3Svg))).toBe(sha256(svgToPng(force(keras3Svg, 'Liberation Sans'))));
  });

  it('gives the same bytes in another process, from the built dist/', async () => {
    const built = fixturePath('dist/backends/png.js');
    expect(existsSync(built), 'dist/ is missing: run npm run build (npm test does)').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'densegraph-png-'));
    const files = [join(dir, 'keras3.svg'), join(dir, 'keras2.svg')];
    writeFileSync(files[0]!, keras3Svg);
    writeFileSync(files[1]!, keras2Svg);
    const script = `
      import { readFileSync } from 'node:fs';
      import { createHash } from 'node:crypto';
      const { svgToPng } = await import(${JSON.stringify(pathToFileURL(built).href)});
      const files = ${JSON.stringify(files)};
      console.log(JSON.stringify(files.map((f) => createHash('sha256').update(svgToPng(readFileSync(f, 'utf8'))).digest('hex'))));
    `;
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(stdout)).toEqual([sha256(svgToPng(keras3Svg)), sha256(svgToPng(keras2Svg))]);
  });
});

describe('shippedFamily', () => {
  it('maps the families Graphviz measures with Helvetica (or wider) metrics to Liberation Sans', () => {
    for (const f of ['Helvetica,sans-Serif', 'Arial', 'Liberation Sans', 'DejaVu Sans', "'Arial', sans-serif"]) expect(shippedFamily(f)).toBe('Liberation Sans');
  });

  it('maps Times and every family Graphviz measures as Times to Liberation Serif', () => {
    for (const f of ['Times,serif', 'Times New Roman', 'serif', 'sans-serif', 'Roboto', 'Courier,monospace', '']) expect(shippedFamily(f)).toBe('Liberation Serif');
  });
});
