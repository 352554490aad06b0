// The soak's chart, hand-written SVG: p99 round trip (left axis) and server RSS (right axis) over the
// run's time, two polylines with their axes, ticks and a legend. No chart library.

export interface Series {
  label: string;
  unit: string;
  color: string;
  /** [seconds since the start, value] */
  points: Array<[number, number]>;
}

const WIDTH = 800;
const HEIGHT = 360;
const PAD = { left: 64, right: 80, top: 40, bottom: 48 };

/** A "nice" upper bound and step for an axis from 0 to max (steps of 1, 2 or 5 times a power of ten). */
function niceScale(max: number): { top: number; step: number } {
  const safe = max > 0 && Number.isFinite(max) ? max : 1;
  const rough = safe / 6; // about six steps: 600 s in steps of 100, 120 s in steps of 20
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= rough) ?? 10 * power;
  return { top: Math.ceil(safe / step) * step, step };
}

const escape = (text: string): string => text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
const fmt = (value: number): string => (Number.isInteger(value) ? String(value) : value.toFixed(1));

export function chartSvg(title: string, durationS: number, left: Series, right: Series): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const xScale = niceScale(durationS);
  const x = (s: number) => PAD.left + (s / xScale.top) * plotW;
  const axis = (series: Series) => {
    const scale = niceScale(Math.max(...series.points.map(([, v]) => v), 0));
    return { ...scale, y: (v: number) => PAD.top + plotH - (v / scale.top) * plotH };
  };
  const l = axis(left);
  const r = axis(right);
  const parts: string[] = [];
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`);
  parts.push(`<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escape(title)}</text>`);
  // Grid and left ticks.
  for (let v = 0; v <= l.top + 1e-9; v += l.step) {
    const y = l.y(v).toFixed(1);
    parts.push(`<line x1="${PAD.left}" y1="${y}" x2="${WIDTH - PAD.right}" y2="${y}" stroke="#eee"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="${left.color}">${fmt(v)}</text>`);
  }
  for (let v = 0; v <= r.top + 1e-9; v += r.step) {
    const y = r.y(v).toFixed(1);
    parts.push(`<text x="${WIDTH - PAD.right + 6}" y="${y}" dominant-baseline="middle" font-size="11" fill="${right.color}">${fmt(v)}</text>`);
  }
  for (let s = 0; s <= xScale.top + 1e-9; s += xScale.step) {
    const xs = x(s).toFixed(1);
    parts.push(`<line x1="${xs}" y1="${PAD.top + plotH}" x2="${xs}" y2="${PAD.top + plotH + 4}" stroke="#333"/>`);
    parts.push(`<text x="${xs}" y="${PAD.top + plotH + 18}" text-anchor="middle" font-size="11">${fmt(s)}</text>`);
  }
  // Axes.
  parts.push(`<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + plotH}" stroke="#333"/>`);
  parts.push(`<line x1="${WIDTH - PAD.right}" y1="${PAD.top}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotH}" stroke="#333"/>`);
  parts.push(`<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotH}" stroke="#333"/>`);
  parts.push(`<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 10}" text-anchor="middle" font-size="12">seconds since the start</text>`);
  parts.push(`<text transform="translate(16 ${PAD.top + plotH / 2}) rotate(-90)" text-anchor="middle" font-size="12" fill="${left.color}">${escape(`${left.label} (${left.unit})`)}</text>`);
  parts.push(`<text transform="translate(${WIDTH - 12} ${PAD.top + plotH / 2}) rotate(90)" text-anchor="middle" font-size="12" fill="${right.color}">${escape(`${right.label} (${right.unit})`)}</text>`);
  // The two lines.
  const line = (series: Series, y: (v: number) => number) =>
    `<polyline fill="none" stroke="${series.color}" stroke-width="2" points="${series.points.map(([s, v]) => `${x(s).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}"/>`;
  parts.push(line(left, l.y), line(right, r.y));
  // Legend.
  parts.push(`<line x1="${PAD.left + 10}" y1="${PAD.top + 12}" x2="${PAD.left + 34}" y2="${PAD.top + 12}" stroke="${left.color}" stroke-width="2"/>`);
  parts.push(`<text x="${PAD.left + 40}" y="${PAD.top + 12}" dominant-baseline="middle" font-size="12">${escape(left.label)}</text>`);
  parts.push(`<line x1="${PAD.left + 10}" y1="${PAD.top + 30}" x2="${PAD.left + 34}" y2="${PAD.top + 30}" stroke="${right.color}" stroke-width="2"/>`);
  parts.push(`<text x="${PAD.left + 40}" y="${PAD.top + 30}" dominant-baseline="middle" font-size="12">${escape(right.label)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif">\n${parts.join("\n")}\n</svg>\n`;
}
