import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { api, onSignedOut, setCsrf } from './api';
import { AppContext, type App as AppValue, type Session } from './context';
import { initialLang, STORAGE_KEY, translate, type Lang, type MessageKey, type Params } from './i18n';
import { matchRoute, pathOf, type Route } from './logic/routes';
import { Layout } from './components/Layout';
import { SignIn } from './pages/SignIn';
import { Broadcasts } from './pages/Broadcasts';
import { Dashboard } from './pages/Dashboard';
import { Compose } from './pages/Compose';
import { BroadcastDetail } from './pages/BroadcastDetail';
import { Accounts } from './pages/Accounts';
import { NotFound } from './pages/NotFound';

function storedLang(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function App() {
  const [lang, setLangState] = useState<Lang>(() => initialLang(storedLang(), navigator.languages ?? [navigator.language]));
  const [route, setRoute] = useState<Route>(() => matchRoute(location.pathname));
  const [session, setSessionState] = useState<Session | null>(null);
  const [checked, setChecked] = useState(false);
  const [notice, setNotice] = useState<AppValue['notice']>('');

  const navigate = useCallback((to: Route) => {
    history.pushState(null, '', pathOf(to));
    setRoute(to);
  }, []);
  const setSession = useCallback((s: Session | null, why?: 'signedOut' | 'expired') => {
    setCsrf(s?.csrf ?? '');
    setSessionState(s);
    setNotice(why ?? '');
  }, []);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // private mode: the switch holds for this visit only
    }
  }, []);

  useEffect(() => {
    const onPop = () => setRoute(matchRoute(location.pathname));
    addEventListener('popstate', onPop);
    onSignedOut(() => setSession(null, 'expired'));
    api<Session>('GET', '/api/v1/session')
      .then((s) => setSession(s))
      .catch(() => setSession(null))
      .finally(() => setChecked(true));
    return () => removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);

  const value = useMemo<AppValue>(
    () => ({
      lang,
      t: (key: MessageKey, params?: Params) => translate(lang, key, params),
      setLang,
      session,
      setSession,
      navigate,
      notice,
    }),
    [lang, session, notice],
  );

  useEffect(() => {
    document.title = `${value.t('app.name')} · ${value.t('app.console')}`;
    // After a move, the page's heading is where a keyboard or screen reader continues.
    const main = document.getElementById('main');
    if (main && checked && session) main.focus({ preventScroll: true });
  }, [route, value, checked, session]);

  if (!checked) return null;
  let page;
  if (!session) page = <SignIn />;
  else if (route.name === 'signIn' || route.name === 'dashboard') page = <Dashboard />;
  else if (route.name === 'broadcasts') page = <Broadcasts />;
  else if (route.name === 'compose') page = <Compose />;
  else if (route.name === 'broadcast') page = <BroadcastDetail id={route.id} />;
  else if (route.name === 'accounts' && session.role === 'admin') page = <Accounts />;
  else page = <NotFound />;
  return (
    <AppContext.Provider value={value}>
      {session ? <Layout route={route}>{page}</Layout> : page}
    </AppContext.Provider>
  );
}
