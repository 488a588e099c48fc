import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { useApp } from '../context';
import { Link } from '../components/Link';
import { ProgressBar } from '../components/ProgressBar';
import { describeAudience } from '../logic/audience';
import { errorText } from '../logic/errors';
import { dateTime } from '../logic/format';
import { prefixed, progressOf } from '../logic/progress';

export function BroadcastDetail(props: { id: string }) {
  const { t, lang } = useApp();
  const [fields, setFields] = useState<Record<string, string> | null>(null);
  const [error, setError] = useState('');
  const [asking, setAsking] = useState(false);
  const [message, setMessage] = useState('');
  const [universities, setUniversities] = useState<Array<{ id: string; name: { en: string; zh: string } }>>([]);
  const askRef = useRef<HTMLDivElement>(null);

  const load = () =>
    api<Record<string, string>>('GET', `/api/v1/broadcasts/${props.id}`)
      .then((f) => (setFields(f), setError('')))
      .catch((e) => setError(errorText(t, e)));

  useEffect(() => {
    api<{ universities: Array<{ id: string; name: { en: string; zh: string } }> }>('GET', '/api/v1/console/catalog')
      .then((c) => setUniversities(c.universities))
      .catch(() => {});  // the ids will do
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, 2000);
    return () => clearInterval(timer);
  }, [props.id, lang]);
  useEffect(() => {
    if (asking) askRef.current?.focus();
  }, [asking]);

  async function cancel() {
    try {
      await api('DELETE', `/api/v1/broadcasts/${props.id}`);
      setMessage(t('detail.cancelled'));
      setAsking(false);
      await load();
    } catch (e) {
      setError(errorText(t, e));
    }
  }

  const p = fields ? progressOf(fields) : null;
  const failures = fields ? prefixed(fields, 'failed:') : [];
  const reasons = fields ? prefixed(fields, 'reason:') : [];
  const counts: Array<[string, string | undefined]> = fields
    ? [
        [t('detail.queued'), fields.queued],
        [t('detail.sent'), fields.sent],
        [t('detail.skipped'), fields.skipped],
        [t('detail.failed'), fields.failed],
        [t('detail.cancelledCount'), fields.cancelled],
      ]
    : [];
  const cancellable = p && (p.state === 'scheduled' || p.state === 'queueing' || p.state === 'queued');
  return (
    <section>
      <p><Link to={{ name: 'broadcasts' }}>← {t('detail.back')}</Link></p>
      <div class="page-head">
        <h1>{t('detail.title', { id: props.id })}</h1>
        {p && <span class={`badge ${p.state}`} data-testid="broadcast-state">{t(`status.${p.state}`)}</span>}
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <p role="status" class="note" aria-live="polite">{message}</p>
      {fields && p && (
        <>
          <div class="card">
            <h2>{t('detail.progress')}</h2>
            <ProgressBar percent={p.percent} />
            <p class="muted small">{t('detail.live')}</p>
            <dl class="counts">
              {counts.map(([label, value]) => (
                <div key={label}><dt>{label}</dt><dd>{value ?? '0'}</dd></div>
              ))}
            </dl>
          </div>
          <div class="two">
            <div class="card">
              <dl class="facts">
                <dt>{t('detail.author')}</dt><dd>{fields.author}</dd>
                <dt>{t('detail.created')}</dt><dd>{dateTime(lang, fields.created_at)}</dd>
                <dt>{t('detail.sendAt')}</dt><dd>{dateTime(lang, fields.send_at)}</dd>
                <dt>{t('detail.audience')}</dt><dd>{describeAudience(t, fields.audience, (id) => {
                  const u = universities.find((x) => x.id === id);
                  return u ? (lang === 'zh' ? u.name.zh : u.name.en) : id;
                })}</dd>
                <dt>{t('detail.audienceSize')}</dt><dd>{p.total}</dd>
              </dl>
            </div>
            <div class="card texts">
              <p lang="en">{fields.text_en}</p>
              <p lang="zh-CN">{fields.text_zh}</p>
            </div>
          </div>
          <div class="card">
            <h2>{t('detail.failures')}</h2>
            {reasons.length > 0 && (
              <ul class="reasons">{reasons.map(([r, n]) => <li key={r}>{r}: {n}</li>)}</ul>
            )}
            {failures.length === 0 ? (
              <p class="muted">{t('detail.noFailures')}</p>
            ) : (
              <table class="list">
                <thead><tr><th scope="col">{t('detail.student')}</th><th scope="col">{t('detail.reason')}</th></tr></thead>
                <tbody>{failures.map(([who, why]) => <tr key={who}><td>{who}</td><td>{why}</td></tr>)}</tbody>
              </table>
            )}
          </div>
          {cancellable && !asking && (
            <button type="button" class="danger" onClick={() => setAsking(true)}>{t('detail.cancel')}</button>
          )}
          {asking && (
            <div class="confirm card" role="alertdialog" aria-labelledby="cancel-q" tabIndex={-1} ref={askRef}>
              <p id="cancel-q">{t('detail.cancelConfirm', { id: props.id })}</p>
              <div class="actions">
                <button type="button" class="danger" onClick={cancel}>{t('detail.cancelYes')}</button>
                <button type="button" class="secondary" onClick={() => setAsking(false)}>{t('detail.cancelNo')}</button>
              </div>
            </div>
          )}
        </>
      )}
    </section>
  );
}
