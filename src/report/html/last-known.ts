// Last-known state in HTML: the age line of a connection whose region cannot be read.
import type { Lang } from '../../model/finding.js';
import { t } from '../i18n.js';
import { formatAsOf } from '../last-known.js';
import type { ReportConnection } from '../schema.js';
import { html, type Markup } from './escape.js';

/** "last known, as of 17:02 UTC, 4 min ago", with the machine-readable time. */
export function asOf(c: ReportConnection, lang: Lang, generatedAt: string): Markup {
  const text = t(lang, 'lastKnownAsOf', { asOf: formatAsOf(c.asOf, generatedAt, lang) });
  return html`<div class="as-of" data-testid="as-of"><time datetime="${c.asOf ?? ''}">${text}</time></div>`;
}
