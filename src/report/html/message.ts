// Small pages: not found, sign-in.
import type { Lang } from '../../model/finding.js';
import { t } from '../i18n.js';
import { html } from './escape.js';
import { page } from './layout.js';

export function renderNotFoundPage(lang: Lang, what: string, base: string): string {
  return page(
    {
      lang,
      title: t(lang, 'notFound'),
      status: null,
      generatedAt: null,
      errors: [],
      urlFor: (l) => `${base}/?lang=${l}`,
      base,
    },
    html`<h1>${t(lang, 'notFound')}</h1><p class="id">${what}</p><p><a href="${base}/?lang=${lang}">← ${t(lang, 'back')}</a></p>`,
  );
}

/** Sign-in form: the token is posted once and kept in an HttpOnly cookie. */
export function renderLoginPage(lang: Lang, base: string, next: string, failed: boolean): string {
  return page(
    {
      lang,
      title: t(lang, 'signIn'),
      status: null,
      generatedAt: null,
      errors: [],
      urlFor: (l) => `${base}/login?lang=${l}`,
      base,
    },
    html`<form class="login" method="post" action="${base}/login">
<h1>${t(lang, 'unauthorized')}</h1>
${failed ? html`<p class="sev sev-critical">401</p>` : ''}
<label>${t(lang, 'token')}<input type="password" name="token" autocomplete="current-password" required autofocus></label>
<input type="hidden" name="next" value="${next}">
<button type="submit">${t(lang, 'signIn')}</button>
</form>`,
  );
}
