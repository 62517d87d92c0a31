// The page frame shared by the fleet and connection views.
import type { Lang } from '../../model/finding.js';
import { errorParts } from '../error-text.js';
import { formatTime } from '../format.js';
import { statusName, t } from '../i18n.js';
import type { ReportError, ReportStatus } from '../schema.js';
import { html, type Markup } from './escape.js';

export interface PageFrame {
  lang: Lang;
  title: string;
  status: ReportStatus | null;
  generatedAt: string | null;
  errors: ReportError[];
  /** The same page in the given language. */
  urlFor(lang: Lang): string;
  /** Base path of the HTML report, e.g. "" when served at "/". */
  base: string;
  /** Offer the 30 s auto-refresh (default true); off where a person types (sign-in). */
  autoRefresh?: boolean;
}

export function page(frame: PageFrame, body: Markup): string {
  const { lang } = frame;
  const other: Lang = lang === 'en' ? 'ja' : 'en';
  const doc = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${frame.status ? `[${statusName(lang, frame.status)}] ` : ''}${frame.title} — alivpn-doctor</title>
<link rel="stylesheet" href="${frame.base}/assets/app.css">
<script src="${frame.base}/assets/app.js" defer></script>
</head>
<body data-status="${frame.status ?? ''}">
<header class="top">
  <a class="brand" href="${frame.base}/?lang=${lang}">alivpn-doctor</a>
  ${frame.status ? html`<span class="pill big s-${frame.status}" data-testid="overall-status">${statusName(lang, frame.status)}</span>` : ''}
  <span class="muted">${frame.generatedAt ? html`${t(lang, 'generatedAt')} <time>${formatTime(frame.generatedAt)}</time>` : ''}</span>
  <span class="spacer"></span>
  ${frame.autoRefresh === false ? '' : html`<label class="control no-print"><input type="checkbox" id="auto-refresh" checked> ${t(lang, 'autoRefresh')}</label>`}
  <button type="button" class="control no-print" data-action="print">${t(lang, 'print')}</button>
  <a class="control lang no-print" href="${frame.urlFor(other)}" hreflang="${other}" data-testid="lang-switch">${other === 'ja' ? '日本語' : 'English'}</a>
</header>
${frame.errors.length > 0 ? errorBanner(lang, frame.errors) : ''}
<main>
${body}
</main>
</body>
</html>
`;
  return doc.value;
}

function errorBanner(lang: Lang, errors: ReportError[]): Markup {
  return html`<section class="banner s-unknown" role="alert" data-testid="collect-errors">
<strong>${t(lang, 'errors')}:</strong>
<ul>${errors.map((e) => {
    const { lead, quote } = errorParts(e, lang);
    return lang === 'en'
      ? html`<li>${lead}${quote}</li>`
      : html`<li>${lead}<q class="quote">${quote}</q></li>`;
  })}</ul>
</section>`;
}
