// Inline SVG sparkline of a connection's traffic (no scripts, no external assets; CSP-safe).
import type { TrafficPoint } from '../../model/history.js';
import { html, type Markup } from './escape.js';

const WIDTH = 640;
const HEIGHT = 90;
const PAD = 4;

export function sparkline(points: TrafficPoint[], labels: { rx: string; tx: string }): Markup | null {
  const usable = points.filter((p) => p.rxBps !== null || p.txBps !== null);
  if (usable.length < 2) return null;
  const first = usable[0]!.at;
  const last = usable[usable.length - 1]!.at;
  const span = Math.max(1, last - first);
  const max = Math.max(1, ...usable.flatMap((p) => [p.rxBps ?? 0, p.txBps ?? 0]));
  const x = (at: number) => (PAD + ((at - first) / span) * (WIDTH - 2 * PAD)).toFixed(1);
  const y = (v: number) => (HEIGHT - PAD - (v / max) * (HEIGHT - 2 * PAD)).toFixed(1);
  const line = (pick: (p: TrafficPoint) => number | null) =>
    usable
      .filter((p) => pick(p) !== null)
      .map((p) => `${x(p.at)},${y(pick(p)!)}`)
      .join(' ');
  return html`<svg class="spark" viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none" role="img" aria-label="${labels.rx} / ${labels.tx}">
<line x1="0" y1="${HEIGHT - PAD}" x2="${WIDTH}" y2="${HEIGHT - PAD}" stroke="#c9ced6" stroke-width="1"/>
<polyline points="${line((p) => p.rxBps)}" fill="none" stroke="#1565c0" stroke-width="2"/>
<polyline points="${line((p) => p.txBps)}" fill="none" stroke="#8e24aa" stroke-width="2" stroke-dasharray="5 3"/>
</svg>`;
}
