import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { useApp } from '../context';
import { WeChatPreview } from '../components/WeChatPreview';
import { audienceOf, emptyAudience, MAX_TEXT_BYTES, utf8Bytes, type AudienceForm } from '../logic/audience';
import { errorText } from '../logic/errors';
import { dateTime, localInputToUnix } from '../logic/format';

interface Catalog {
  universities: Array<{ id: string; name: { en: string; zh: string }; steps: Array<{ id: string; title: { en: string; zh: string } }> }>;
}
interface Count {
  audience: number;
  outside_window: number;
}

export function Compose() {
  const { t, lang, navigate } = useApp();
  const [textEn, setTextEn] = useState('');
  const [textZh, setTextZh] = useState('');
  const [form, setForm] = useState<AudienceForm>(emptyAudience);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [count, setCount] = useState<Count | null>(null);
  const [counting, setCounting] = useState(false);
  const [later, setLater] = useState(false);
  const [sendAt, setSendAt] = useState('');
  const [error, setError] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [sending, setSending] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    api<Catalog>('GET', '/api/v1/console/catalog').then(setCatalog).catch((e) => setError(errorText(t, e)));
  }, []);

  const audience = audienceOf(form);
  const audienceKey = JSON.stringify(audience);
  // The live count: a dry run, a moment after the last change.
  useEffect(() => {
    setCount(null);
    if (!audience) return;
    setCounting(true);
    let live = true;
    const timer = setTimeout(() => {
      api<Count>('POST', '/api/v1/broadcasts?dry_run=1', { audience })
        .then((c) => live && setCount(c))
        .catch((e) => live && setError(errorText(t, e)))
        .finally(() => live && setCounting(false));
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [audienceKey]);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const set = (patch: Partial<AudienceForm>) => setForm({ ...form, ...patch });
  const university = catalog?.universities.find((u) => u.id === form.university);
  const when = later ? localInputToUnix(sendAt) : null;

  function review(e: Event) {
    e.preventDefault();
    setError('');
    if (!textEn.trim() || !textZh.trim()) return setError(t('compose.missingText'));
    if (utf8Bytes(textEn) > MAX_TEXT_BYTES || utf8Bytes(textZh) > MAX_TEXT_BYTES) return setError(t('compose.missingText'));
    if (!audience) return setError(t('compose.noFilter'));
    if (!count || counting) return setError(t('compose.counting'));
    if (later && (when === null || when * 1000 <= Date.now())) return setError(t('compose.pastTime'));
    setConfirming(true);
  }

  async function send() {
    setSending(true);
    setError('');
    try {
      const body: Record<string, unknown> = { audience, text: { en: textEn, zh: textZh } };
      if (later && when !== null) body.send_at = when;
      const created = await api<{ id: string }>('POST', '/api/v1/broadcasts', body);
      navigate({ name: 'broadcast', id: created.id });
    } catch (e) {
      setError(errorText(t, e));
      setConfirming(false);
    } finally {
      setSending(false);
    }
  }

  const name = (x: { en: string; zh: string }) => (lang === 'zh' ? x.zh : x.en);
  return (
    <section>
      <h1>{t('compose.title')}</h1>
      <form class="compose" onSubmit={review} noValidate>
        <fieldset class="card">
          <legend>{t('compose.message')}</legend>
          <div class="two">
            <div>
              <label for="text-en">{t('compose.textEn')}</label>
              <textarea id="text-en" lang="en" rows={6} value={textEn} aria-describedby="text-en-count"
                onInput={(e) => setTextEn((e.target as HTMLTextAreaElement).value)} />
              <div id="text-en-count" class="hint">{t('compose.chars', { count: utf8Bytes(textEn) })}</div>
              <label for="text-zh">{t('compose.textZh')}</label>
              <textarea id="text-zh" lang="zh-CN" rows={6} value={textZh} aria-describedby="text-zh-count"
                onInput={(e) => setTextZh((e.target as HTMLTextAreaElement).value)} />
              <div id="text-zh-count" class="hint">{t('compose.chars', { count: utf8Bytes(textZh) })}</div>
            </div>
            <div class="previews" aria-label={t('compose.preview')} role="group">
              <WeChatPreview text={textEn} label={t('compose.previewEn')} lang="en" />
              <WeChatPreview text={textZh} label={t('compose.previewZh')} lang="zh" />
            </div>
          </div>
        </fieldset>

        <fieldset class="card">
          <legend>{t('compose.audience')}</legend>
          <label class="check">
            <input type="checkbox" checked={form.everyone} onChange={(e) => set({ everyone: (e.target as HTMLInputElement).checked })} />
            {t('compose.everyone')}
          </label>
          <div class="grid" aria-disabled={form.everyone}>
            <div>
              <label for="university">{t('compose.university')}</label>
              <select id="university" disabled={form.everyone} value={form.university}
                onChange={(e) => set({ university: (e.target as HTMLSelectElement).value, step: '' })}>
                <option value="">{t('compose.anyUniversity')}</option>
                {catalog?.universities.map((u) => <option key={u.id} value={u.id}>{name(u.name)}</option>)}
              </select>
            </div>
            <div>
              <label for="step">{t('compose.step')}</label>
              <select id="step" disabled={form.everyone || !university} value={form.step}
                onChange={(e) => set({ step: (e.target as HTMLSelectElement).value })}>
                <option value="">{t('compose.anyStep')}</option>
                {university?.steps.map((s) => <option key={s.id} value={s.id}>{name(s.title)}</option>)}
              </select>
            </div>
            <div>
              <label for="expiry-from">{t('compose.expiryFrom')}</label>
              <input id="expiry-from" type="date" disabled={form.everyone} value={form.expiryFrom}
                onInput={(e) => set({ expiryFrom: (e.target as HTMLInputElement).value })} />
            </div>
            <div>
              <label for="expiry-to">{t('compose.expiryTo')}</label>
              <input id="expiry-to" type="date" disabled={form.everyone} value={form.expiryTo}
                onInput={(e) => set({ expiryTo: (e.target as HTMLInputElement).value })} />
            </div>
            <div>
              <label for="lang">{t('compose.language')}</label>
              <select id="lang" disabled={form.everyone} value={form.lang}
                onChange={(e) => set({ lang: (e.target as HTMLSelectElement).value as AudienceForm['lang'] })}>
                <option value="">{t('compose.anyLanguage')}</option>
                <option value="en">{t('compose.lang.en')}</option>
                <option value="zh">{t('compose.lang.zh')}</option>
              </select>
            </div>
          </div>
          <div class="count" role="status" aria-live="polite" data-testid="audience-count">
            {!audience && t('compose.noFilter')}
            {audience && (counting || !count) && t('compose.counting')}
            {audience && count && !counting && (
              <>
                <strong>{t('compose.count', { count: count.audience })}</strong>
                {count.outside_window > 0 && <span class="muted"> {t('compose.countOutside', { outside: count.outside_window })}</span>}
              </>
            )}
          </div>
        </fieldset>

        <fieldset class="card">
          <legend>{t('compose.when')}</legend>
          <label class="check"><input type="radio" name="when" checked={!later} onChange={() => setLater(false)} /> {t('compose.now')}</label>
          <label class="check"><input type="radio" name="when" checked={later} onChange={() => setLater(true)} /> {t('compose.later')}</label>
          {later && (
            <div>
              <label for="send-at">{t('compose.sendAt')}</label>
              <input id="send-at" type="datetime-local" value={sendAt} onInput={(e) => setSendAt((e.target as HTMLInputElement).value)} />
            </div>
          )}
        </fieldset>

        <div class="error" role="alert">{error}</div>
        {!confirming && <button type="submit" class="primary">{t('compose.review')}</button>}
      </form>

      {confirming && (
        <div class="confirm card" role="alertdialog" aria-modal="false" aria-labelledby="confirm-title" tabIndex={-1} ref={confirmRef}>
          <h2 id="confirm-title">{t('confirm.title')}</h2>
          <p>
            {later && when !== null
              ? t('confirm.later', { time: dateTime(lang, when), count: count?.audience ?? 0 })
              : t('confirm.now', { count: count?.audience ?? 0 })}
          </p>
          <div class="actions">
            <button type="button" class="primary" disabled={sending} onClick={send}>
              {later ? t('confirm.schedule') : t('confirm.send', { count: count?.audience ?? 0 })}
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>{t('confirm.back')}</button>
          </div>
        </div>
      )}
    </section>
  );
}
