// Plain-text report for terminals (`diagnose --format text`).
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
import type { Report, ReportConnection } from './schema.js';

export interface RenderOptions {
  /** Recent events per connection id, newest first, shown under the connection. */
  events?: Record<string, VpnEvent[]>;
}

export function renderText(report: Report, lang: Lang = 'en', opts: RenderOptions = {}): string {
  const out: string[] = [];
  out.push(`${t(lang, 'title')} — ${t(lang, 'generatedAt')} ${formatTime(report.generatedAt)}`);
  out.push(
    `${t(lang, 'overall')}: ${statusName(lang, report.status).toUpperCase()} (${t(lang, 'connectionsCount', { n: report.connections.length })})`,
  );
  if (report.errors.length > 0) {
    out.push('', `${t(lang, 'errors')}:`);
    for (const e of report.errors) {
      const { lead, quote } = errorParts(e, lang);
      out.push(`  - ${oneLine(lead)} ${oneLine(quote)}`);
    }
  }
  if (report.connections.length === 0) out.push('', emptyFleetText(report, lang));
  for (const c of report.connections)
    out.push('', ...connectionText(c, lang, opts.events?.[c.id] ?? null, report.generatedAt));
  return `${out.join('\n')}\n`;
}

function connectionText(
  c: ReportConnection,
  lang: Lang,
  events: VpnEvent[] | null,
  generatedAt: string,
): string[] {
  const out = [
    `[${statusName(lang, c.status).toUpperCase()}] ${oneLine(c.name)} (${c.id})  ${c.account} / ${c.region}  ${t(lang, 'gateway')} ${c.vpnGatewayId}`,
  ];
  if (c.stale) out.push(`  ? ${lastKnownText(c, generatedAt, lang)}`);
  if (c.onStandby) out.push(`  ! ${t(lang, 'onStandby')}`);
  else if (!c.activeTunnelId) out.push(`  ! ${t(lang, 'noActiveTunnel')}`);
  if (c.lastFailoverAt) out.push(`  ${t(lang, 'lastFailover')}: ${formatTime(c.lastFailoverAt)}`);
  if (c.receiveBps !== undefined || c.transmitBps !== undefined)
    out.push(
      `  ${t(lang, 'receive')} ${formatBps(c.receiveBps, lang)} / ${t(lang, 'transmit')} ${formatBps(c.transmitBps, lang)}`,
    );
  // Last-known values (the region cannot be read) say so, and how old they are, on each tunnel.
  const lastKnown = c.stale
    ? `  (${t(lang, 'lastKnownAsOf', { asOf: formatAsOf(c.asOf, generatedAt, lang) })})`
    : '';
  c.tunnels.forEach((tun, i) => {
    const active = tun.id === c.activeTunnelId ? `  <- ${t(lang, 'carriesTraffic')}` : '';
    out.push(
      `  ${t(lang, 'tunnel')} ${i + 1} (${roleName(lang, tun.role)}) ${tun.id}  ${tun.status}  ${tun.up ? t(lang, 'up') : t(lang, 'down')}  ${t(lang, 'zone')} ${tun.zone}  ${tun.ip} <-> ${tun.customerGatewayIp ?? t(lang, 'unknownValue')}${active}${lastKnown}`,
    );
    if (tun.ladder && tun.ladder.length > 0) {
      const steps = tun.ladder.map((l) => `${layerName(lang, l.layer)}: ${layerStateName(lang, l.state)}`);
      out.push(`    ${t(lang, 'ladder')}: ${steps.join(' > ')}`);
    }
    if (tun.peer) {
      const p = tun.peer;
      out.push(
        `    ${t(lang, 'bothSides')} (${t(lang, 'device')} ${oneLine(p.name)}, ${oneLine(p.ikeConnection)}, ${p.ikeSaState ?? t(lang, 'noIkeSa')}):`,
      );
      for (const r of p.rows) {
        const verdict =
          r.agree === null
            ? '?'
            : lang === 'en'
              ? r.agree
                ? 'OK'
                : 'DIFFERS'
              : t(lang, r.agree ? 'sidesAgree' : 'sidesDiffer');
        out.push(
          `      ${verdict.padEnd(lang === 'en' ? 7 : 3)} ${oneLine(peerFieldName(r.field, lang))}: ${t(lang, 'alibabaSays')} ${oneLine(peerValue(r.alibaba, lang))} / ${t(lang, 'deviceSays')} ${r.device === null ? '-' : oneLine(peerValue(r.device, lang))}`,
        );
      }
    }
  });
  if (c.findings.length === 0) out.push(`  ${noFindingsText(c, lang)}`);
  else out.push(`  ${t(lang, 'findings')}:`);
  for (const f of c.findings) {
    const where = f.tunnelId ? ` ${f.tunnelId}` : '';
    out.push(
      `    [${severityName(lang, f.severity)}] ${f.rule} (${layerName(lang, f.layer)})${where}: ${oneLine(f.title)}`,
    );
    if (f.summary) out.push(`      ${oneLine(f.summary)}`);
    if (f.evidence.length > 0)
      out.push(`      ${t(lang, 'evidence')}:`, ...f.evidence.map((e) => `        - ${oneLine(e)}`));
    if (f.remediation.length > 0)
      out.push(
        `      ${t(lang, 'remediation')}:`,
        ...f.remediation.map((r, i) => `        ${i + 1}. ${oneLine(r)}`),
      );
    if (f.runbookUrl) out.push(`      ${t(lang, 'runbook')}: ${f.runbookUrl}`);
  }
  if (events && events.length > 0) {
    out.push(`  ${t(lang, 'timeline')}:`);
    for (const e of events) {
      out.push(`    ${formatTime(e.at)}  ${oneLine(describeEvent(e, lang))}`);
      for (const line of eventEvidenceIn(e, lang).slice(0, 5)) out.push(`      | ${oneLine(line)}`);
    }
  }
  return out;
}

/** Keep one item per line whatever the source text contains (and no terminal control characters). */
function oneLine(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}
