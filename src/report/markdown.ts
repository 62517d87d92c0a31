// Markdown report for tickets and chat (`diagnose --format markdown`, "copy as Markdown").
import type { VpnEvent } from '../model/events.js';
import type { Lang } from '../model/finding.js';
import { peerFieldName, peerValue } from '../model/peer-fields.js';
import { errorParts } from './error-text.js';
import { describeEvent, eventEvidenceIn } from './event-text.js';
import { formatTime } from './format.js';
import {
  emptyFleetText,
  formatBps,
  layerName,
  layerStateName,
  roleName,
  severityName,
  statusName,
  t,
} from './i18n.js';
import { formatAsOf, lastKnownText, noFindingsText } from './last-known.js';
import type { Report, ReportConnection, ReportStatus } from './schema.js';
import type { RenderOptions } from './text.js';

const STATUS_ICON: Record<ReportStatus, string> = { critical: '🔴', warning: '🟠', unknown: '⚪', ok: '🟢' };

export function renderMarkdown(report: Report, lang: Lang = 'en', opts: RenderOptions = {}): string {
  const out: string[] = [`# ${t(lang, 'title')}`, ''];
  out.push(
    `**${t(lang, 'overall')}:** ${STATUS_ICON[report.status]} ${statusName(lang, report.status)} · ${t(lang, 'connectionsCount', { n: report.connections.length })} · ${t(lang, 'generatedAt')} ${formatTime(report.generatedAt)}`,
  );
  if (report.errors.length > 0) {
    out.push('', `## ⚠ ${t(lang, 'errors')}`, '');
    for (const e of report.errors) {
      const { lead, quote } = errorParts(e, lang);
      out.push(`- ${md(lead)}${md(quote)}`);
    }
  }
  if (report.connections.length === 0) out.push('', md(emptyFleetText(report, lang)));
  for (const c of report.connections)
    out.push('', ...connectionMarkdown(c, lang, opts.events?.[c.id] ?? null, report.generatedAt));
  return `${out.join('\n')}\n`;
}

function connectionMarkdown(
  c: ReportConnection,
  lang: Lang,
  events: VpnEvent[] | null,
  generatedAt: string,
): string[] {
  const active = c.tunnels.find((x) => x.id === c.activeTunnelId);
  const out = [
    `## ${STATUS_ICON[c.status]} ${statusName(lang, c.status)} — ${md(c.name)} (${code(c.id)})`,
    '',
    '| | |',
    '|---|---|',
    `| ${t(lang, 'accountRegion')} | ${md(c.account)} / ${md(c.region)} |`,
    `| ${t(lang, 'gateway')} | ${code(c.vpnGatewayId)} |`,
    `| ${t(lang, 'activeTunnel')} | ${active ? `${code(active.id)} (${roleName(lang, active.role)})` : `**${t(lang, 'noActiveTunnel')}**`} |`,
    `| ${t(lang, 'lastFailover')} | ${c.lastFailoverAt ? formatTime(c.lastFailoverAt) : t(lang, 'never')} |`,
    `| ${t(lang, 'receive')} / ${t(lang, 'transmit')} | ${formatBps(c.receiveBps, lang)} / ${formatBps(c.transmitBps, lang)} |`,
  ];
  if (c.stale) out.push('', `> _${md(lastKnownText(c, generatedAt, lang))}_`);
  if (c.onStandby) out.push('', `> **${t(lang, 'onStandby')}**`);
  out.push(
    '',
    `### ${t(lang, 'tunnels')}`,
    '',
    `| ${t(lang, 'tunnel')} | ${t(lang, 'negotiation')} | ${t(lang, 'zone')} | ${t(lang, 'tunnelIp')} | ${t(lang, 'customerGatewayIp')} | ${t(lang, 'ladder')} |`,
    '|---|---|---|---|---|---|',
  );
  // Last-known values (the region cannot be read) are italic and say how old they are.
  const lastKnown = c.stale
    ? ` _(${md(t(lang, 'lastKnownAsOf', { asOf: formatAsOf(c.asOf, generatedAt, lang) }))})_`
    : '';
  c.tunnels.forEach((tun, i) => {
    const carries =
      tun.id === c.activeTunnelId
        ? c.stale
          ? ` — _${t(lang, 'carriesTraffic')}_`
          : ` — **${t(lang, 'carriesTraffic')}**`
        : '';
    const ladder = (tun.ladder ?? []).map(
      (l) => `${layerName(lang, l.layer)} ${layerStateName(lang, l.state)}`,
    );
    out.push(
      `| ${i + 1} ${roleName(lang, tun.role)} ${code(tun.id)}${carries} | ${c.stale ? '⚪' : tun.up ? '✅' : '❌'} ${code(tun.status)}${lastKnown} | ${md(tun.zone)} | ${md(tun.ip)} | ${md(tun.customerGatewayIp ?? t(lang, 'unknownValue'))} | ${md(ladder.join(' → '))} |`,
    );
  });
  c.tunnels.forEach((tun, i) => {
    if (tun.peer) out.push('', ...bothSides(i + 1, tun.peer, lang));
  });
  out.push('', `### ${t(lang, 'findings')}`, '');
  if (c.findings.length === 0) out.push(md(noFindingsText(c, lang)));
  for (const f of c.findings) {
    const where = f.tunnelId ? `, ${t(lang, 'tunnel')} ${code(f.tunnelId)}` : '';
    out.push(
      `#### ${severityName(lang, f.severity)}: ${md(f.title)} (${code(f.rule)}, ${layerName(lang, f.layer)}${where})`,
      '',
    );
    if (f.summary) out.push(md(f.summary), '');
    if (f.evidence.length > 0)
      out.push(`**${t(lang, 'evidence')}**`, '', ...f.evidence.map((e) => `- ${md(e)}`), '');
    if (f.remediation.length > 0)
      out.push(`**${t(lang, 'remediation')}**`, '', ...f.remediation.map((r, i) => `${i + 1}. ${md(r)}`), '');
    if (f.runbookUrl) out.push(`[${t(lang, 'runbook')}: ${md(f.rule)}](${f.runbookUrl})`, '');
  }
  if (events && events.length > 0) {
    out.push(`### ${t(lang, 'timeline')}`, '');
    for (const e of events) {
      const strong = e.kind === 'failover' || e.kind === 'failback' ? '**' : '';
      out.push(`- ${formatTime(e.at)} — ${strong}${md(describeEvent(e, lang))}${strong}`);
      for (const line of eventEvidenceIn(e, lang).slice(0, 5)) out.push(`  - ${code(line)}`);
    }
  }
  return out;
}

/** Alibaba says / the device says, field by field (the device read over VICI). */
function bothSides(
  index: number,
  p: NonNullable<ReportConnection['tunnels'][number]['peer']>,
  lang: Lang,
): string[] {
  const ja = lang === 'ja';
  const state = p.ikeSaState ?? (ja ? 'IKE SA なし' : 'no IKE SA');
  return [
    ja
      ? `### トンネル ${index}: 両側の設定 (デバイス ${md(p.name)}, ${code(p.ikeConnection)}, ${md(state)})`
      : `### Tunnel ${index}: both sides (device ${md(p.name)}, ${code(p.ikeConnection)}, ${md(state)})`,
    '',
    ja ? '| 項目 | Alibaba 側 | デバイス側 | |' : '| field | Alibaba says | the device says | |',
    '|---|---|---|---|',
    ...p.rows.map(
      (r) =>
        `| ${md(peerFieldName(r.field, lang))} | ${code(peerValue(r.alibaba, lang))} | ${r.device === null ? '—' : code(peerValue(r.device, lang))} | ${r.agree === null ? '?' : r.agree ? '✅' : '❌'} |`,
    ),
  ];
}

/** Free text as inert Markdown: one line, no markup, no HTML, no table breaks. */
export function md(s: string): string {
  return s
    .replace(/[\r\n]+/g, ' ')
    .replace(/([\\`*[\]<>|#!~])/g, '\\$1')
    .trim();
}

/** An inline code span that survives backticks in the value. */
function code(s: string): string {
  const clean = s.replace(/[\r\n]+/g, ' ');
  const fence = clean.includes('`') ? '``' : '`';
  return `${fence}${clean.includes('`') ? ` ${clean} ` : clean}${fence}`.replace(/\|/g, '\\|');
}
