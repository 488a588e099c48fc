import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { useApp } from '../context';
import { Bars, Columns } from '../components/Charts';
import { Link } from '../components/Link';
import { ProgressBar } from '../components/ProgressBar';
import { errorText } from '../logic/errors';
import { funnelSteps, lastDays, lastHours, overallRate, unansweredRates, type Overview } from '../logic/dashboard';
import { progressOf, type BroadcastStatus } from '../logic/progress';

interface Catalog {
  universities: Array<{ id: string; name: { en: string; zh: string }; steps: Array<{ id: string; title: { en: string; zh: string } }> }>;
}
interface Broadcast extends BroadcastStatus {
  id: string;
  text_en: string;
  text_zh: string;
}

export function Dashboard() {
  const { t, lang } = useApp();
  const [figures, setFigures] = useState<Overview | null>(null);
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [broadcasts, setBroadcasts] = useState<Broadcast[]>([]);
  const [range, setRange] = useState<7 | 30>(7);
  const [university, setUniversity] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    let live = true;
    const load = () =>
      Promise.all([
        api<Overview>('GET', '/api/v1/dashboard'),
        api<{ broadcasts: Broadcast[] }>('GET', '/api/v1/broadcasts'),
      ])
        .then(([f, b]) => live && (setFigures(f), setBroadcasts(b.broadcasts), setError('')))
        .catch((e) => live && setError(errorText(t, e)));
    api<Catalog>('GET', '/api/v1/console/catalog')
      .then((c) => live && (setCatalog(c), setUniversity((u) => u || c.universities[0]?.id || '')))
      .catch((e) => live && setError(errorText(t, e)));
    load();
    const timer = setInterval(load, 10000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [lang]);

  const name = (x: { en: string; zh: string }) => (lang === 'zh' ? x.zh : x.en);
  const uniName = (id: string) => {
    const u = catalog?.universities.find((x) => x.id === id);
    return u ? name(u.name) : id;
  };
  if (!figures) {
    return (
      <section>
        <h1>{t('dashboard.title')}</h1>
        {error ? <p class="error" role="alert">{error}</p> : <p class="muted">{t('dashboard.loading')}</p>}
      </section>
    );
  }
  const now = Date.now() / 1000;
  const today = figures.days[figures.days.length - 1];
  const inFlight = broadcasts.filter((b) => {
    const s = progressOf(b).state;
    return s === 'queued' || s === 'queueing';
  });
  const active7 = figures.universities.reduce((a, u) => a + u.active_7d, 0);
  const chosen = catalog?.universities.find((u) => u.id === university);
  const funnel = figures.universities.find((u) => u.id === university)?.funnel ?? {};
  const steps = chosen ? chosen.steps.map((s) => ({ id: s.id, title: name(s.title) })) : [];
  const within = [7, 14, 30] as const;

  return (
    <section class="dashboard">
      <div class="page-head">
        <h1>{t('dashboard.title')}</h1>
        <span class="muted small">{t('dashboard.updated')}</span>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      <div class="stats">
        <div class="stat card"><div class="stat-label">{t('dashboard.today')}</div><div class="stat-value" data-testid="messages-today">{today?.messages ?? 0}</div></div>
        <div class="stat card"><div class="stat-label">{t('dashboard.active7')}</div><div class="stat-value" data-testid="active-7d">{active7}</div></div>
        <div class="stat card"><div class="stat-label">{t('dashboard.unansweredRate')}</div><div class="stat-value">{overallRate(figures.days, 7)}%</div></div>
        <div class="stat card"><div class="stat-label">{t('dashboard.inFlight')}</div><div class="stat-value">{inFlight.length}</div></div>
      </div>

      <div class="card">
        <h2>{t('dashboard.perHour')}</h2>
        <Columns points={lastHours(figures.days, now)} label={t('dashboard.perHour')} labelEvery={6} />
      </div>

      <div class="two">
        <div class="card">
          <div class="card-head">
            <h2>{t('dashboard.perDay')}</h2>
            <div class="segmented" role="group" aria-label={t('dashboard.range')}>
              {([7, 30] as const).map((n) => (
                <button type="button" key={n} class={range === n ? 'on' : ''} aria-pressed={range === n} onClick={() => setRange(n)}>
                  {t(n === 7 ? 'dashboard.days7' : 'dashboard.days30')}
                </button>
              ))}
            </div>
          </div>
          <Columns points={lastDays(figures.days, range)} label={t('dashboard.perDay')} labelEvery={range === 7 ? 1 : 6} width={360} />
        </div>
        <div class="card">
          <h2>{t('dashboard.unanswered')}</h2>
          <Columns points={unansweredRates(figures.days, range)} label={t('dashboard.unanswered')} labelEvery={range === 7 ? 1 : 6} unit="%" max={100} width={360} />
        </div>
      </div>

      <div class="two">
        <div class="card">
          <h2>{t('dashboard.perUniversity')}</h2>
          <div data-testid="active-per-university">
            <Bars points={figures.universities.map((u) => ({ label: uniName(u.id), value: u.active_7d }))} label={t('dashboard.perUniversity')} />
          </div>
        </div>
        <div class="card">
          <h2>{t('dashboard.deadlines')}</h2>
          <table class="list compact">
            <thead>
              <tr><th scope="col">{t('dashboard.funnelUniversity')}</th>{within.map((d) => <th scope="col" key={d}>{t('dashboard.within', { days: d })}</th>)}</tr>
            </thead>
            <tbody>
              {figures.universities.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{uniName(u.id)}</th>
                  {within.map((d) => (
                    <td key={d} class={u.deadlines[`d${d}`] > 0 && d === 7 ? 'urgent' : ''}>{u.deadlines[`d${d}`]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted small">{t('dashboard.deadlinesNote')}</p>
        </div>
      </div>

      <div class="card">
        <div class="card-head">
          <h2>{t('dashboard.funnel')}</h2>
          <div>
            <label for="funnel-university" class="sr-only">{t('dashboard.funnelUniversity')}</label>
            <select id="funnel-university" value={university} onChange={(e) => setUniversity((e.target as HTMLSelectElement).value)}>
              {catalog?.universities.map((u) => <option key={u.id} value={u.id}>{name(u.name)}</option>)}
            </select>
          </div>
        </div>
        <Bars points={funnelSteps(steps, funnel)} label={t('dashboard.funnel')} />
      </div>

      <div class="card">
        <h2>{t('dashboard.inFlight')}</h2>
        {inFlight.length === 0 ? (
          <p class="muted">{t('dashboard.noneInFlight')}</p>
        ) : (
          <ul class="in-flight">
            {inFlight.map((b) => (
              <li key={b.id}>
                <Link to={{ name: 'broadcast', id: b.id }}>{t('detail.title', { id: b.id })}: {lang === 'zh' ? b.text_zh : b.text_en}</Link>
                <ProgressBar percent={progressOf(b).percent} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
