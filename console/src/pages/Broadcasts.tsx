import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useApp } from '../context';
import { Link } from '../components/Link';
import { ProgressBar } from '../components/ProgressBar';
import { errorText } from '../logic/errors';
import { dateTime } from '../logic/format';
import { progressOf, type BroadcastStatus } from '../logic/progress';

interface Item extends BroadcastStatus {
  id: string;
  author: string;
  created_at: string;
  send_at: string;
  text_en: string;
  text_zh: string;
}

export function Broadcasts() {
  const { t, lang } = useApp();
  const [items, setItems] = useState<Item[] | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    const load = () =>
      api<{ broadcasts: Item[] }>('GET', '/api/v1/broadcasts')
        .then((r) => live && (setItems(r.broadcasts), setError('')))
        .catch((e) => live && setError(errorText(t, e)));
    load();
    const timer = setInterval(load, 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [lang]);

  return (
    <section>
      <div class="page-head">
        <h1>{t('broadcasts.title')}</h1>
        <Link to={{ name: 'compose' }} class="button primary">{t('broadcasts.new')}</Link>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {items === null && !error && <p class="muted">{t('broadcasts.loading')}</p>}
      {items?.length === 0 && <p class="empty">{t('broadcasts.empty')}</p>}
      {items && items.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th scope="col">{t('broadcasts.col.id')}</th>
              <th scope="col">{t('broadcasts.col.text')}</th>
              <th scope="col">{t('broadcasts.col.status')}</th>
              <th scope="col">{t('broadcasts.col.progress')}</th>
              <th scope="col">{t('broadcasts.col.when')}</th>
              <th scope="col">{t('broadcasts.col.author')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((b) => {
              const p = progressOf(b);
              const text = lang === 'zh' ? b.text_zh : b.text_en;
              return (
                <tr key={b.id}>
                  <td>{b.id}</td>
                  <td class="text-cell">
                    <Link to={{ name: 'broadcast', id: b.id }}>{text.length > 60 ? `${text.slice(0, 60)}…` : text}</Link>
                  </td>
                  <td><span class={`badge ${p.state}`}>{t(`status.${p.state}`)}</span></td>
                  <td class="progress-cell"><ProgressBar percent={p.percent} /></td>
                  <td>{dateTime(lang, b.send_at)}</td>
                  <td>{b.author}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
