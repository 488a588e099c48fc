import type { ComponentChildren } from 'preact';
import { useApp } from '../context';
import { api } from '../api';
import { Link } from './Link';
import type { Route } from '../logic/routes';

export function LanguageSwitch() {
  const { lang, setLang, t } = useApp();
  return (
    <button type="button" class="lang" lang={lang === 'zh' ? 'en' : 'zh'} aria-label={t('lang.switch.label')}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
      {t('lang.switch')}
    </button>
  );
}

// The frame of every signed-in page: a skip link, the navigation, who is
// signed in, the language switch and sign-out.
export function Layout(props: { route: Route; children: ComponentChildren }) {
  const { t, session, setSession } = useApp();
  const section =
    props.route.name === 'accounts' ? 'accounts' : props.route.name === 'dashboard' || props.route.name === 'signIn' ? 'dashboard' : 'broadcasts';
  async function signOut() {
    try {
      await api('DELETE', '/api/v1/session');
    } finally {
      setSession(null, 'signedOut');
    }
  }
  return (
    <div class="shell">
      <a class="skip" href="#main">{t('skip.main')}</a>
      <header class="top">
        <div class="brand">
          <span class="logo" aria-hidden="true">证</span>
          <span>{t('app.name')}</span>
          <span class="muted"> · {t('app.console')}</span>
        </div>
        <div class="who">
          {session && <span class="muted">{t('nav.signedInAs', { name: session.name, role: t(session.role === 'admin' ? 'role.admin' : 'role.staff') })}</span>}
          <LanguageSwitch />
          <button type="button" class="secondary" onClick={signOut}>{t('nav.signOut')}</button>
        </div>
      </header>
      <nav class="side" aria-label={t('nav.label')}>
        <ul>
          <li><Link to={{ name: 'dashboard' }} current={section === 'dashboard'}>{t('nav.dashboard')}</Link></li>
          <li><Link to={{ name: 'broadcasts' }} current={section === 'broadcasts'}>{t('nav.broadcasts')}</Link></li>
          {session?.role === 'admin' && (
            <li><Link to={{ name: 'accounts' }} current={section === 'accounts'}>{t('nav.accounts')}</Link></li>
          )}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>{props.children}</main>
    </div>
  );
}
