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

export interface LoginPage {
  lang: Lang;
  /** Where to go after sign-in (a same-site path). */
  next: string;
  base?: string;
  /** Why the last attempt was refused: a wrong token, or too many wrong ones (seconds to wait). */
  failure?: 'wrong' | { limited: number };
}

/**
 * Sign-in form: the token is posted once and kept in an HttpOnly cookie. The page does not refresh
 * itself (a half-typed token stays), and a refusal says what to check, in the page's language.
 */
export function renderLoginPage(p: LoginPage): string {
  const { lang, failure } = p;
  const base = p.base ?? '';
  const message =
    failure === undefined
      ? ''
      : failure === 'wrong'
        ? t(lang, 'signInWrong')
        : t(lang, 'signInLimited', { s: failure.limited });
  return page(
    {
      lang,
      title: t(lang, 'signIn'),
      status: null,
      generatedAt: null,
      errors: [],
      urlFor: (l) => `${base}/login?lang=${l}&next=${encodeURIComponent(p.next)}`,
      base,
      autoRefresh: false,
    },
    html`<form class="login" method="post" action="${base}/login">
<h1>${t(lang, 'unauthorized')}</h1>
${message ? html`<p class="sev sev-critical" role="alert" data-testid="sign-in-error">${message}</p>` : ''}
<label>${t(lang, 'token')}<input type="password" name="token" autocomplete="current-password" required autofocus></label>
<input type="hidden" name="next" value="${p.next}">
<input type="hidden" name="lang" value="${lang}">
<button type="submit">${t(lang, 'signIn')}</button>
</form>`,
  );
}
