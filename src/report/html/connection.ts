// Connection view: ladder per tunnel, findings with evidence and fix, timeline, traffic, Markdown.

import { describeChange } from '../../diagnose/changes/describe.js';
import type { VpnEvent } from '../../model/events.js';
import type { Lang, LayerVerdict } from '../../model/finding.js';
import type { TrafficPoint } from '../../model/history.js';
import { peerFieldName, peerValue } from '../../model/peer-fields.js';
import { eventEvidenceQuotesIn, eventFactsIn } from '../event-text.js';
import { formatTime } from '../format.js';
import {
  eventName,
  formatBps,
  layerName,
  layerStateName,
  roleName,
  severityName,
  statusName,
  t,
} from '../i18n.js';
import { lastKnownText, noFindingsText } from '../last-known.js';
import type { ReportConnection, ReportError, ReportFinding, ReportTunnel } from '../schema.js';
import { html, type Markup } from './escape.js';
import { asOf } from './last-known.js';
import { page } from './layout.js';
import { sparkline } from './sparkline.js';

export interface ConnectionPageInput {
  connection: ReportConnection;
  events: VpnEvent[];
  traffic: TrafficPoint[];
  trafficHours: number;
  markdown: string;
  lang: Lang;
  generatedAt: string;
  errors: ReportError[];
  base: string;
}

export function renderConnectionPage(input: ConnectionPageInput): string {
  const { connection: c, lang, base } = input;
  const active = c.tunnels.find((x) => x.id === c.activeTunnelId);
  const body = html`<p class="no-print"><a href="${base}/?lang=${lang}">← ${t(lang, 'back')}</a></p>
<h1><span class="pill big s-${c.status}" data-testid="connection-status">${statusName(lang, c.status)}</span> ${c.name}</h1>
<dl class="meta">
<dt>ID</dt><dd class="id">${c.id}</dd>
<dt>${t(lang, 'accountRegion')}</dt><dd>${c.account} / ${c.region}</dd>
<dt>${t(lang, 'gateway')}</dt><dd class="id">${c.vpnGatewayId}</dd>
<dt>${t(lang, 'activeTunnel')}</dt><dd${c.stale ? html` class="lastknown" title="${t(lang, 'lastKnown')}"` : ''}>${active ? html`${active.id} (${roleName(lang, active.role)})` : html`<strong>${t(lang, 'noActiveTunnel')}</strong>`}${c.stale ? html` <span class="as-of">(${t(lang, 'lastKnown')})</span>` : ''}</dd>
<dt>${t(lang, 'lastFailover')}</dt><dd>${c.lastFailoverAt ? formatTime(c.lastFailoverAt) : t(lang, 'never')}</dd>
</dl>
${c.stale ? html`<div class="banner lastknown" data-testid="last-known">${lastKnownText(c, input.generatedAt, lang)}</div>` : ''}
${c.onStandby ? html`<div class="banner s-warning" data-testid="failover-banner"><strong>⇄ ${t(lang, 'onStandby')}</strong></div>` : ''}
${!c.activeTunnelId && c.status !== 'unknown' ? html`<div class="banner s-critical"><strong>${t(lang, 'noActiveTunnel')}</strong></div>` : ''}
<div class="actions no-print">
<button type="button" data-action="copy" data-target="markdown" data-copied="${t(lang, 'copied')}">${t(lang, 'copyMarkdown')}</button>
<button type="button" data-action="diagnose" data-url="${base}/api/v1/connections/${encodeURIComponent(c.id)}/diagnose?lang=${lang}" data-say-401="${t(lang, 'diagnoseSignIn')}" data-say-404="${t(lang, 'diagnoseGone')}" data-say-429="${t(lang, 'diagnoseLimited')}" data-say-error="${t(lang, 'diagnoseFailed')}" data-say-network="${t(lang, 'diagnoseUnreachable')}">${t(lang, 'diagnoseNow')}</button>
<span class="action-result" aria-live="polite"></span>
</div>
<textarea id="markdown" class="markdown" readonly aria-label="Markdown">${input.markdown}</textarea>
<h2>${t(lang, 'findings')}</h2>
${c.findings.length === 0 ? html`<p class="empty${c.status === 'unknown' ? ' unknown' : ''}" data-testid="no-findings">${noFindingsText(c, lang)}</p>` : html`<div data-testid="findings">${c.findings.map((f) => findingCard(f, c, lang))}</div>`}
<h2>${t(lang, 'tunnels')}</h2>
<div class="tunnels">${c.tunnels.map((tun, i) => tunnelCard(c, tun, i + 1, lang, input.generatedAt))}</div>
<h2>${t(lang, 'traffic', { h: input.trafficHours })}</h2>
${trafficSection(c, input.traffic, lang)}
<h2>${t(lang, 'timeline')}</h2>
${timeline(input.events, lang)}`;
  return page(
    {
      lang,
      title: `${c.name} (${c.id})`,
      status: c.status,
      generatedAt: input.generatedAt,
      errors: input.errors,
      urlFor: (l) => `${base}/connections/${encodeURIComponent(c.id)}?lang=${l}`,
      base,
    },
    body,
  );
}

function findingCard(f: ReportFinding, c: ReportConnection, lang: Lang): Markup {
  const tunnelNo = f.tunnelId ? c.tunnels.findIndex((x) => x.id === f.tunnelId) + 1 : 0;
  return html`<article class="finding sev-border-${f.severity}" data-rule="${f.rule}">
<h3><span class="sev sev-${f.severity}">${severityName(lang, f.severity)}</span> ${f.title}</h3>
<p class="muted"><code>${f.rule}</code> · ${layerName(lang, f.layer)}${f.tunnelId ? html` · ${t(lang, 'tunnel')} ${tunnelNo > 0 ? tunnelNo : ''} <span class="id">${f.tunnelId}</span>` : ''}</p>
${f.summary ? html`<p>${f.summary}</p>` : ''}
${f.evidence.length > 0 ? html`<h4>${t(lang, 'evidence')}</h4><ul class="evidence">${f.evidence.map((e, i) => quote(e, f.rawEvidence?.[i], lang))}</ul>` : ''}
${f.remediation.length > 0 ? html`<h4>${t(lang, 'remediation')}</h4><ol>${f.remediation.map((r) => html`<li>${r}</li>`)}</ol>` : ''}
${f.runbookUrl ? html`<p class="runbook"><a href="${f.runbookUrl}" rel="noopener">${t(lang, 'runbook')}: ${f.rule}</a></p>` : ''}
</article>`;
}

function tunnelCard(
  c: ReportConnection,
  tun: ReportTunnel,
  n: number,
  lang: Lang,
  generatedAt: string,
): Markup {
  const carries = tun.id === c.activeTunnelId;
  // A region that cannot be read: what was last seen, muted, with its age.
  const last = c.stale ? ' lastknown' : '';
  return html`<section class="tunnel${carries ? ' carries' : ''}${last}" data-tunnel="${tun.id}">
<h3><span class="dot ${tun.up ? 'up' : 'down'}${last}"></span> ${t(lang, 'tunnel')} ${n} · ${roleName(lang, tun.role)} ${carries ? html`<span class="badge traffic${last}">⇄ ${t(lang, 'carriesTraffic')}</span>` : ''}</h3>
${c.stale ? asOf(c, lang, generatedAt) : ''}
<dl class="meta">
<dt>ID</dt><dd class="id">${tun.id}</dd>
<dt>${t(lang, 'negotiation')}</dt><dd><code>${tun.status}</code> (${tun.up ? t(lang, 'up') : t(lang, 'down')})</dd>
<dt>${t(lang, 'zone')}</dt><dd>${tun.zone}</dd>
<dt>${t(lang, 'tunnelIp')}</dt><dd>${tun.ip}</dd>
<dt>${t(lang, 'customerGatewayIp')}</dt><dd>${tun.customerGatewayIp ?? t(lang, 'unknownValue')}</dd>
</dl>
${tun.ladder && tun.ladder.length > 0 ? ladder(tun.ladder, tun.firstFailingLayer ?? null, lang) : ''}
${tun.peer ? bothSides(tun.peer, lang) : ''}
</section>`;
}

/** Alibaba says / the device says, field by field (the on-prem device read over VICI). */
function bothSides(p: NonNullable<ReportTunnel['peer']>, lang: Lang): Markup {
  const verdict = (agree: boolean | null) =>
    agree === null
      ? html`<span class="agree-unknown">? ${t(lang, 'sidesUnknown')}</span>`
      : agree
        ? html`<span class="agree">✓ ${t(lang, 'sidesAgree')}</span>`
        : html`<strong class="differ">✗ ${t(lang, 'sidesDiffer')}</strong>`;
  return html`<h4>${t(lang, 'bothSides')} (${t(lang, 'device')} ${p.name}, <code>${p.ikeConnection}</code>, ${p.ikeSaState ?? t(lang, 'noIkeSa')})</h4>
<table class="sides" data-testid="both-sides"><thead><tr><th>${t(lang, 'sideField')}</th><th>${t(lang, 'alibabaSays')}</th><th>${t(lang, 'deviceSays')}</th><th></th></tr></thead>
<tbody>${p.rows.map(
    (r) =>
      html`<tr class="${r.agree === false ? 'differ' : ''}" data-field="${r.field}"><td>${peerFieldName(r.field, lang)}</td><td><code>${peerValue(r.alibaba, lang)}</code></td><td>${r.device === null ? '—' : html`<code>${peerValue(r.device, lang)}</code>`}</td><td>${verdict(r.agree)}</td></tr>`,
  )}</tbody></table>`;
}

const STATE_ICON = { ok: '✓', fail: '✗', unknown: '?' } as const;

function ladder(layers: LayerVerdict[], first: string | null, lang: Lang): Markup {
  // A note the row above already gave (a status that could not be read, a partial topology) is
  // said once: the rows below point up to it, the whole note in their tooltip.
  const note = (l: LayerVerdict, i: number) =>
    !l.note
      ? ''
      : i > 0 && layers[i - 1]?.note === l.note
        ? html` <span class="note same" title="${l.note}">(${t(lang, 'sameAsAbove')})</span>`
        : html` <span class="note">(${l.note})</span>`;
  return html`<h4>${t(lang, 'ladder')}</h4><ol class="ladder">${layers.map(
    (l, i) => html`<li class="layer l-${l.state}${l.layer === first ? ' first' : ''}">
<span class="icon">${STATE_ICON[l.state]}</span> ${layerName(lang, l.layer)} — ${layerStateName(lang, l.state)}${l.rules.length > 0 ? html` <code>${l.rules.join(', ')}</code>` : ''}${l.layer === first ? html` <strong>← ${t(lang, 'firstFailingLayer')}</strong>` : ''}${note(l, i)}
</li>`,
  )}</ol>`;
}

function trafficSection(c: ReportConnection, points: TrafficPoint[], lang: Lang): Markup {
  const chart = sparkline(points, { rx: t(lang, 'receive'), tx: t(lang, 'transmit') });
  return html`<div class="traffic">
<p><span class="key rx"></span>${t(lang, 'receive')} <strong>${formatBps(c.receiveBps, lang)}</strong>
&nbsp; <span class="key tx"></span>${t(lang, 'transmit')} <strong>${formatBps(c.transmitBps, lang)}</strong></p>
${chart ?? html`<p class="empty">${t(lang, 'noTraffic')}</p>`}
</div>`;
}

function timeline(events: VpnEvent[], lang: Lang): Markup {
  if (events.length === 0) return html`<p class="empty">${t(lang, 'noEvents')}</p>`;
  return html`<ol class="timeline" data-testid="timeline">${events.map((e) => {
    const evidence = eventEvidenceQuotesIn(e, lang);
    return html`<li class="event k-${e.kind}" data-kind="${e.kind}">
<time>${formatTime(e.at)}</time>
<span class="ekind">${eventName(lang, e.kind)}</span>${e.tunnelId ? html` <span class="id">${e.tunnelId}</span>` : ''}
${
  e.kind === 'config_change'
    ? html` <span class="change">${describeChange(e, lang)}</span>`
    : eventFactsIn(e, lang).map(
        ([k, v]) => html` <span class="fact">${k}${lang === 'en' ? '=' : ': '}<code>${v}</code></span>`,
      )
}
${evidence.length > 0 ? html`<ul class="evidence">${evidence.map((q) => quote(q.text, q.raw, lang))}</ul>` : ''}
</li>`;
  })}</ol>`;
}

/** One evidence line; a log line whose time was converted to UTC keeps Alibaba's own in its tooltip. */
function quote(text: string, raw: string | undefined, lang: Lang): Markup {
  return raw !== undefined && raw !== text
    ? html`<li><code class="log-utc" title="${t(lang, 'asLogged')}: ${raw}" data-raw="${raw}">${text}</code></li>`
    : html`<li><code>${text}</code></li>`;
}
