import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Lang, Translate } from './i18n';
import type { Route } from './logic/routes';

export interface Session {
  name: string;
  role: 'staff' | 'admin';
  csrf: string;
}

export interface App {
  lang: Lang;
  t: Translate;
  setLang: (lang: Lang) => void;
  session: Session | null;
  setSession: (session: Session | null, notice?: 'signedOut' | 'expired') => void;
  navigate: (route: Route) => void;
  notice: '' | 'signedOut' | 'expired';
}

export const AppContext = createContext<App>(null as unknown as App);
export const useApp = (): App => useContext(AppContext);
