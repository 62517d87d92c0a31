// Fleet view: every connection with both tunnels, the one carrying traffic, status and findings.
import type { Lang } from '../../model/finding.js';
import type { ReportFilters } from '../build.js';
import { formatTime } from '../format.js';
import { emptyFleetText, roleName, severityName, statusName, t } from '../i18n.js';
import type { Report, ReportConnection, ReportStatus, ReportTunnel } from '../schema.js';
import { STATUSES } from '../status.js';
import { html, type Markup } from './escape.js';
import { asOf } from './last-known.js';
import { page } from './layout.js';

export interface FleetPageInput {
  report: Report;
  lang: Lang;
  filters: ReportFilters;
  /** Choices for the filter form (from the unfiltered fleet). */
  accounts: string[];
  regions: string[];
  /** Connections per status in the unfiltered fleet. */
  counts: Record<ReportStatus, number>;
  base: string;
}

export function renderFleetPage(input: FleetPageInput): string {
  const { report, lang, base } = input;
  const query = (l: Lang) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(input.filters)) if (v) q.set(k, String(v));
    q.set('lang', l);
    return `${base}/?${q.toString()}`;
  };
  const body = html`<h1>${t(lang, 'title')}</h1>
<p class="counts" data-testid="status-counts">${STATUSES.map(
    (s) => html`<span class="pill s-${s}">${statusName(lang, s)} ${input.counts[s]}</span> `,
  )}</p>
${filterForm(input)}
<p class="muted">${t(lang, 'connectionsCount', { n: report.connections.length })}</p>
${
  report.connections.length === 0
    ? html`<p class="empty">${emptyFleetText(report, lang)}</p>`
    : html`<table class="fleet" data-testid="fleet">
<thead><tr><th>${t(lang, 'status')}</th><th>${t(lang, 'connection')}</th><th>${t(lang, 'accountRegion')}</th>
<th>${t(lang, 'tunnel')} 1 (${roleName(lang, 'primary')})</th><th>${t(lang, 'tunnel')} 2 (${roleName(lang, 'standby')})</th><th>${t(lang, 'openFindings')}</th><th>${t(lang, 'lastFailover')}</th></tr></thead>
<tbody>${report.connections.map((c) => row(c, lang, base, report.generatedAt))}</tbody>
</table>`
}`;
  return page(
    {
      lang,
      title: t(lang, 'title'),
      status: report.status,
      generatedAt: report.generatedAt,
      errors: report.errors,
      urlFor: query,
      base,
    },
    body,
  );
}

function row(c: ReportConnection, lang: Lang, base: string, generatedAt: string): Markup {
  const href = `${base}/connections/${encodeURIComponent(c.id)}?lang=${lang}`;
  const findings = c.findings.filter((f) => f.severity !== 'info');
  return html`<tr class="row s-${c.status}" data-connection="${c.id}">
<td><span class="pill s-${c.status}">${statusName(lang, c.status)}</span></td>
<td><a href="${href}">${c.name}</a><div class="id">${c.id}</div>
${c.onStandby ? html`<span class="badge failover">${t(lang, 'onStandby')}</span>` : ''}
${!c.activeTunnelId && c.status !== 'unknown' ? html`<span class="badge down">${t(lang, 'noActiveTunnel')}</span>` : ''}</td>
<td>${c.account}<div class="id">${c.region}</div></td>
${[0, 1].map((i) => tunnelCell(c, c.tunnels[i], lang, generatedAt))}
<td>${
    findings.length === 0
      ? c.stale
        ? html`<span class="muted" data-testid="findings-unknown">${t(lang, 'unknownValue')}</span>`
        : html`<span class="muted">—</span>`
      : html`<ul class="flist">${findings
          .slice(0, 3)
          .map(
            (f) =>
              html`<li><span class="sev sev-${f.severity}">${severityName(lang, f.severity)}</span> ${f.title}</li>`,
          )}${findings.length > 3 ? html`<li class="muted">+${findings.length - 3}</li>` : ''}</ul>`
  }</td>
<td>${c.lastFailoverAt ? formatTime(c.lastFailoverAt) : html`<span class="muted">${t(lang, 'never')}</span>`}</td>
</tr>`;
}

function tunnelCell(
  c: ReportConnection,
  tun: ReportTunnel | undefined,
  lang: Lang,
  generatedAt: string,
): Markup {
  if (!tun) return html`<td class="muted">—</td>`;
  const carries = tun.id === c.activeTunnelId;
  // A region that cannot be read: its state is what was last seen, muted, with its age.
  const last = c.stale ? ' lastknown' : '';
  return html`<td class="tcell${carries ? ' carries' : ''}${last}"${c.stale ? html` title="${t(lang, 'lastKnown')}"` : ''}>
<span class="dot ${tun.up ? 'up' : 'down'}${last}"></span> ${roleName(lang, tun.role)} · ${tun.up ? t(lang, 'up') : t(lang, 'down')}
<div class="id">${tun.status}</div>
${carries ? html`<span class="badge traffic${last}">⇄ ${t(lang, 'carriesTraffic')}</span>` : ''}
${c.stale ? asOf(c, lang, generatedAt) : ''}
</td>`;
}

function filterForm(input: FleetPageInput): Markup {
  const { lang, filters } = input;
  const select = (
    name: string,
    values: readonly string[],
    current: string | undefined,
    label: (v: string) => string,
  ) =>
    html`<label>${t(lang, name === 'status' ? 'status' : name === 'account' ? 'account' : 'region')}
<select name="${name}"><option value="">${t(lang, 'all')}</option>${values.map(
      (v) => html`<option value="${v}"${v === current ? html` selected` : ''}>${label(v)}</option>`,
    )}</select></label>`;
  return html`<form class="filters no-print" method="get" action="${input.base}/" data-testid="filters">
${select('account', input.accounts, filters.account, (v) => v)}
${select('region', input.regions, filters.region, (v) => v)}
${select('status', STATUSES, filters.status, (v) => statusName(lang, v as ReportStatus))}
<input type="hidden" name="lang" value="${lang}">
<button type="submit">${t(lang, 'filter')}</button>
</form>`;
}
