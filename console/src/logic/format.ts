import type { Lang } from '../i18n';

// Unix seconds (as the API gives them) as a local date and time.
export function dateTime(lang: Lang, unixSeconds: string | number | undefined): string {
  const s = Number(unixSeconds ?? 0);
  if (!Number.isFinite(s) || s <= 0) return '—';
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(s * 1000));
}

// ISO text ("2026-12-05T10:00:00Z") as a local date and time.
export function isoDateTime(lang: Lang, iso: string | undefined): string {
  const ms = Date.parse(iso ?? '');
  return Number.isFinite(ms) ? dateTime(lang, ms / 1000) : '—';
}

// The value of <input type="datetime-local"> as unix seconds (local time).
export function localInputToUnix(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : null;
}
