import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useApp } from '../context';
import { errorText } from '../logic/errors';
import { isoDateTime } from '../logic/format';

interface Account {
  name: string;
  role: 'staff' | 'admin';
  disabled: boolean;
  created_at: string;
  created_by: string;
}

export function Accounts() {
  const { t, lang, session } = useApp();
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<'staff' | 'admin'>('staff');
  const [password, setPassword] = useState('');
  const [resetting, setResetting] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [error, setError] = useState('');
  const [message, setMessage] = useState('');

  const load = () =>
    api<{ users: Account[] }>('GET', '/api/v1/users')
      .then((r) => setAccounts(r.users))
      .catch((e) => setError(errorText(t, e)));
  useEffect(() => {
    load();
  }, []);

  async function run(action: () => Promise<unknown>, done: string) {
    setError('');
    setMessage('');
    try {
      await action();
      setMessage(done);
      await load();
      return true;
    } catch (e) {
      setError(errorText(t, e));
      return false;
    }
  }

  async function add(e: Event) {
    e.preventDefault();
    const made = name.trim().toLowerCase();
    if (await run(() => api('POST', '/api/v1/users', { name: made, role, password }), t('accounts.created', { name: made }))) {
      setName('');
      setPassword('');
    }
  }

  async function savePassword(e: Event) {
    e.preventDefault();
    const who = resetting;
    if (await run(() => api('PATCH', `/api/v1/users/${encodeURIComponent(who)}`, { password: newPassword }), t('accounts.changed', { name: who }))) {
      setResetting('');
      setNewPassword('');
    }
  }

  return (
    <section>
      <h1>{t('accounts.title')}</h1>
      <div class="error" role="alert">{error}</div>
      <p class="note" role="status">{message}</p>
      <form class="card add-account" onSubmit={add} noValidate>
        <h2>{t('accounts.add')}</h2>
        <div class="grid">
          <div>
            <label for="new-name">{t('accounts.name')}</label>
            <input id="new-name" autoComplete="off" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </div>
          <div>
            <label for="new-role">{t('accounts.role')}</label>
            <select id="new-role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value as 'staff' | 'admin')}>
              <option value="staff">{t('role.staff')}</option>
              <option value="admin">{t('role.admin')}</option>
            </select>
          </div>
          <div>
            <label for="new-password">{t('accounts.password')}</label>
            <input id="new-password" type="password" autoComplete="new-password" value={password}
              onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </div>
        </div>
        <button type="submit" class="primary" disabled={!name || !password}>{t('accounts.create')}</button>
      </form>

      {accounts && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t('accounts.col.name')}</th>
              <th scope="col">{t('accounts.col.role')}</th>
              <th scope="col">{t('accounts.col.state')}</th>
              <th scope="col">{t('accounts.col.created')}</th>
              <th scope="col">{t('accounts.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.name}>
                <td>{a.name}</td>
                <td>{t(a.role === 'admin' ? 'role.admin' : 'role.staff')}</td>
                <td><span class={`badge ${a.disabled ? 'cancelled' : 'done'}`}>{t(a.disabled ? 'accounts.disabled' : 'accounts.active')}</span></td>
                <td>{isoDateTime(lang, a.created_at)}{a.created_by ? ` · ${a.created_by}` : ''}</td>
                <td><div class="actions">
                  {a.name !== session?.name && (
                    <button type="button" class="secondary small"
                      onClick={() => run(() => api('PATCH', `/api/v1/users/${encodeURIComponent(a.name)}`, { disabled: !a.disabled }),
                        t('accounts.changed', { name: a.name }))}>
                      {t(a.disabled ? 'accounts.enable' : 'accounts.disable', { name: a.name })}
                    </button>
                  )}
                  {resetting === a.name ? (
                    <form class="inline" onSubmit={savePassword}>
                      <label for={`pw-${a.name}`} class="sr-only">{t('accounts.newPassword', { name: a.name })}</label>
                      <input id={`pw-${a.name}`} type="password" autoComplete="new-password" value={newPassword} autoFocus
                        onInput={(e) => setNewPassword((e.target as HTMLInputElement).value)} />
                      <button type="submit" class="primary small">{t('accounts.save')}</button>
                      <button type="button" class="secondary small" onClick={() => setResetting('')}>{t('accounts.cancel')}</button>
                    </form>
                  ) : (
                    <button type="button" class="secondary small" onClick={() => (setResetting(a.name), setNewPassword(''))}>
                      {t('accounts.reset', { name: a.name })}
                    </button>
                  )}
                </div></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
