import { escapeHtml } from './escape-html.js';

/**
 * Charts for the report as inline SVG: no library, no network, nothing the page's CSP
 * would have to allow. Every chart is an image with a title and a description that state
 * its figures in words, and every mark carries its value (data-value) so tests and screen
 * readers read the same numbers the eye does.
 */
export interface Point {
  label: string;
  value: number;
}

const W = 360;
const H = 150;
const PAD = { left: 44, right: 8, top: 10, bottom: 34 };

const fmt = (v: number, unit: Unit) => (unit === 'percent' ? `${(v * 100).toFixed(1)}%` : unit === 'dollars' ? `$${Math.round(v).toLocaleString('en-US')}` : String(Math.round(v)));
export type Unit = 'count' | 'percent' | 'dollars';

function niceMax(v: number, unit: Unit): number {
  if (unit === 'percent') return 1;
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function frame(id: string, title: string, summary: string, body: string, width = W, height = H): string {
  return `<figure class="chart" id="${escapeHtml(id)}"><svg role="img" aria-labelledby="${escapeHtml(id)}-t ${escapeHtml(id)}-d" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`
    + `<title id="${escapeHtml(id)}-t">${escapeHtml(title)}</title><desc id="${escapeHtml(id)}-d">${escapeHtml(summary)}</desc>${body}</svg>`
    + `<figcaption>${escapeHtml(title)}</figcaption></figure>`;
}

function axes(max: number, unit: Unit, labels: string[], x: (i: number) => number): string {
  const y0 = H - PAD.bottom;
  let out = `<line class="axis" x1="${PAD.left}" y1="${y0}" x2="${W - PAD.right}" y2="${y0}"/>`;
  for (const f of [0, 0.5, 1]) {
    const y = y0 - f * (y0 - PAD.top);
    out += `<line class="grid" x1="${PAD.left}" y1="${y.toFixed(1)}" x2="${W - PAD.right}" y2="${y.toFixed(1)}"/><text class="tick" x="${PAD.left - 4}" y="${(y + 3).toFixed(1)}" text-anchor="end">${escapeHtml(fmt(max * f, unit))}</text>`;
  }
  // At most six date labels, first and last always.
  const step = Math.max(1, Math.ceil(labels.length / 6));
  labels.forEach((l, i) => {
    const anchor = labels.length > 1 && i === 0 ? 'start' : labels.length > 1 && i === labels.length - 1 ? 'end' : 'middle';
    if (i % step === 0 || i === labels.length - 1) out += `<text class="tick" x="${x(i).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="${anchor}">${escapeHtml(l.slice(5))}</text>`;
  });
  return out;
}

/** A line over nights (auto-release rate, dollars held). */
export function lineChart(id: string, title: string, points: Point[], unit: Unit): string {
  if (points.length === 0) return frame(id, title, 'No nights recorded yet.', `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="tick">no nights yet</text>`);
  const max = niceMax(Math.max(...points.map((p) => p.value)), unit);
  const span = W - PAD.left - PAD.right;
  const x = (i: number) => PAD.left + (points.length === 1 ? span / 2 : (i * span) / (points.length - 1));
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.bottom - PAD.top);
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const dots = points.map((p, i) => `<circle class="mark" cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="2.5" data-label="${escapeHtml(p.label)}" data-value="${p.value}"><title>${escapeHtml(`${p.label}: ${fmt(p.value, unit)}`)}</title></circle>`).join('');
  const last = points.at(-1)!;
  const summary = `${points.length} night(s) from ${points[0]!.label} to ${last.label}; latest ${fmt(last.value, unit)}, lowest ${fmt(Math.min(...points.map((p) => p.value)), unit)}, highest ${fmt(Math.max(...points.map((p) => p.value)), unit)}.`;
  return frame(id, title, summary, axes(max, unit, points.map((p) => p.label), x) + `<path class="line" d="${path}"/>` + dots);
}

/** Pairs of bars over nights (claims held and claims resolved). */
export function pairedBars(id: string, title: string, nights: string[], a: { name: string; values: number[] }, b: { name: string; values: number[] }): string {
  if (nights.length === 0) return frame(id, title, 'No nights recorded yet.', `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="tick">no nights yet</text>`);
  const max = niceMax(Math.max(...a.values, ...b.values), 'count');
  const span = W - PAD.left - PAD.right;
  const slot = span / nights.length;
  const bw = Math.max(1.5, Math.min(12, slot / 2 - 1));
  const x = (i: number) => PAD.left + slot * i + slot / 2;
  const h = (v: number) => (v / max) * (H - PAD.bottom - PAD.top);
  let bars = '';
  nights.forEach((n, i) => {
    for (const [k, s] of [[0, a], [1, b]] as const) {
      const v = s.values[i] ?? 0;
      bars += `<rect class="mark s${k}" x="${(x(i) - bw + k * bw).toFixed(1)}" y="${(H - PAD.bottom - h(v)).toFixed(1)}" width="${bw.toFixed(1)}" height="${h(v).toFixed(1)}" data-series="${escapeHtml(s.name)}" data-label="${escapeHtml(n)}" data-value="${v}"><title>${escapeHtml(`${n}: ${v} ${s.name}`)}</title></rect>`;
    }
  });
  const legend = `<rect class="s0" x="${PAD.left}" y="${H - 12}" width="9" height="9"/><text class="tick" x="${PAD.left + 12}" y="${H - 4}">${escapeHtml(a.name)}</text>`
    + `<rect class="s1" x="${PAD.left + 130}" y="${H - 12}" width="9" height="9"/><text class="tick" x="${PAD.left + 142}" y="${H - 4}">${escapeHtml(b.name)}</text>`;
  const summary = `${nights.length} night(s); latest night ${nights.at(-1)}: ${a.values.at(-1) ?? 0} ${a.name}, ${b.values.at(-1) ?? 0} ${b.name}.`;
  return frame(id, title, summary, axes(max, 'count', nights, x) + bars + legend);
}

/** Horizontal bars (dollars held by payer, by age). */
export function barList(id: string, title: string, rows: Point[], unit: Unit): string {
  const rowH = 20;
  const height = Math.max(1, rows.length) * rowH + 12;
  const labelW = 160;
  const width = W;
  if (rows.length === 0) return frame(id, title, 'Nothing held.', `<text x="${width / 2}" y="16" text-anchor="middle" class="tick">nothing held</text>`, width, 28);
  const max = Math.max(...rows.map((r) => r.value), 1e-9);
  const span = width - labelW - 64;
  const body = rows.map((r, i) => {
    const y = 6 + i * rowH;
    const w = Math.max(r.value > 0 ? 1 : 0, (r.value / max) * span);
    return `<text class="tick" x="${labelW - 6}" y="${y + 12}" text-anchor="end">${escapeHtml(r.label.length > 24 ? `${r.label.slice(0, 23)}…` : r.label)}</text>`
      + `<rect class="mark s0" x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 6}" data-label="${escapeHtml(r.label)}" data-value="${r.value}"><title>${escapeHtml(`${r.label}: ${fmt(r.value, unit)}`)}</title></rect>`
      + `<text class="tick" x="${(labelW + w + 4).toFixed(1)}" y="${y + 12}">${escapeHtml(fmt(r.value, unit))}</text>`;
  }).join('');
  const summary = rows.map((r) => `${r.label}: ${fmt(r.value, unit)}`).join('; ');
  return frame(id, title, summary, body, width, height);
}

/** A small line in a table cell (an edit's claims over nights). */
export function sparkline(values: number[], label: string): string {
  const w = 90;
  const h = 20;
  if (values.length === 0) return '';
  const max = Math.max(...values, 1);
  const x = (i: number) => (values.length === 1 ? w / 2 : 2 + (i * (w - 4)) / (values.length - 1));
  const y = (v: number) => h - 2 - (v / max) * (h - 4);
  const path = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  return `<svg class="spark" role="img" aria-label="${escapeHtml(`${label}: ${values.join(', ')}`)}" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" data-values="${values.join(',')}"><path class="line" d="${path}"/></svg>`;
}
