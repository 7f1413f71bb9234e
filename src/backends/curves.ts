/**
 * Training curves as a small self-contained SVG: loss and accuracy per epoch, training and
 * validation, two panels side by side. Pure; user text (metric names) is escaped.
 */
import { escapeHtml } from './escape.js';

const W = 360;
const H = 240;
const M = { left: 48, right: 12, top: 28, bottom: 36 };
const COLORS: Readonly<Record<string, string>> = { train: '#1f77b4', val: '#ff7f0e' };

function ticks(min: number, max: number): number[] {
  const span = max - min || 1;
  const step = 10 ** Math.floor(Math.log10(span / 4));
  const nice = [1, 2, 5, 10].map((k) => k * step).find((s) => span / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(min / nice) * nice; v <= max + 1e-12; v += nice) out.push(Number(v.toPrecision(12)));
  return out;
}

function panel(x0: number, title: string, series: { name: string; kind: 'train' | 'val'; values: number[] }[]): string {
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  if (all.length === 0) return '';
  let min = Math.min(...all);
  let max = Math.max(...all);
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const epochs = Math.max(...series.map((s) => s.values.length));
  const px = (i: number) => x0 + M.left + (epochs === 1 ? 0.5 : i / (epochs - 1)) * (W - M.left - M.right);
  const py = (v: number) => M.top + (1 - (v - min) / (max - min)) * (H - M.top - M.bottom);
  const parts = [`<text x="${x0 + W / 2}" y="16" text-anchor="middle" font-weight="bold">${escapeHtml(title)}</text>`];
  parts.push(`<line x1="${x0 + M.left}" y1="${H - M.bottom}" x2="${x0 + W - M.right}" y2="${H - M.bottom}" stroke="#444"/>`);
  parts.push(`<line x1="${x0 + M.left}" y1="${M.top}" x2="${x0 + M.left}" y2="${H - M.bottom}" stroke="#444"/>`);
  for (const t of ticks(min, max)) {
    parts.push(`<text x="${x0 + M.left - 4}" y="${py(t).toFixed(1)}" text-anchor="end" dominant-baseline="middle" font-size="10">${t}</text>`);
    parts.push(`<line x1="${x0 + M.left}" y1="${py(t).toFixed(1)}" x2="${x0 + W - M.right}" y2="${py(t).toFixed(1)}" stroke="#ddd"/>`);
  }
  parts.push(`<text x="${x0 + (W + M.left - M.right) / 2}" y="${H - 6}" text-anchor="middle" font-size="11">epoch (1–${epochs})</text>`);
  series.forEach((s, k) => {
    const points = s.values.map((v, i) => `${px(i).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${COLORS[s.kind]}" stroke-width="2" points="${points}"/>`);
    parts.push(`<text x="${x0 + W - M.right}" y="${M.top + 12 + 14 * k}" text-anchor="end" font-size="11" fill="${COLORS[s.kind]}">${escapeHtml(s.name)}</text>`);
  });
  return parts.join('\n');
}

/** An SVG of a Keras-style history (`loss`, `accuracy`, `val_loss`, `val_accuracy`, …). */
export function curvesSvg(history: Readonly<Record<string, readonly number[]>>): string {
  const metrics = Object.keys(history).filter((k) => !k.startsWith('val_'));
  const panels = metrics.map((m, i) => {
    const series: { name: string; kind: 'train' | 'val'; values: number[] }[] = [{ name: m, kind: 'train', values: [...history[m]!] }];
    if (history[`val_${m}`]) series.push({ name: `val_${m}`, kind: 'val', values: [...history[`val_${m}`]!] });
    return panel(i * W, m, series);
  });
  const width = W * Math.max(1, metrics.length);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H}" viewBox="0 0 ${width} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="white"/>\n${panels.join('\n')}\n</svg>\n`;
}
