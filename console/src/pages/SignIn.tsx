import { useState } from 'preact/hooks';
import { api, setCsrf } from '../api';
import { useApp, type Session } from '../context';
import { errorText } from '../logic/errors';
import { LanguageSwitch } from '../components/Layout';

export function SignIn() {
  const { t, setSession, notice } = useApp();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [working, setWorking] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setWorking(true);
    setError('');
    try {
      const session = await api<Session>('POST', '/api/v1/session', { name, password });
      setCsrf(session.csrf);
      setSession(session);
    } catch (err) {
      setError(errorText(t, err));
      setPassword('');
    } finally {
      setWorking(false);
    }
  }

  return (
    <div class="signin-page">
      <div class="signin-lang"><LanguageSwitch /></div>
      <main id="main" class="signin-card">
        <div class="brand big"><span class="logo" aria-hidden="true">证</span> {t('app.name')}</div>
        <h1>{t('signIn.title')}</h1>
        <p class="muted">{t('signIn.intro')}</p>
        {notice && !error && <p class="note" role="status">{t(notice === 'expired' ? 'signIn.expired' : 'signIn.signedOut')}</p>}
        <form onSubmit={submit} noValidate>
          <label for="name">{t('signIn.name')}</label>
          <input id="name" name="username" autoComplete="username" autoFocus required value={name}
            onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          <label for="password">{t('signIn.password')}</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          <div class="error" role="alert">{error}</div>
          <button type="submit" class="primary wide" disabled={working || !name || !password}>
            {working ? t('signIn.working') : t('signIn.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}
