import type { Translate } from '../i18n';

// The audience form and what the API expects of it.

export interface AudienceForm {
  everyone: boolean;
  university: string;
  step: string;
  expiryFrom: string; // yyyy-mm-dd or ''
  expiryTo: string;
  lang: '' | 'en' | 'zh';
}

export interface Audience {
  all?: boolean;
  university?: string;
  step?: string;
  expiry_from?: string;
  expiry_to?: string;
  lang?: 'en' | 'zh';
}

export const emptyAudience: AudienceForm = {
  everyone: false,
  university: '',
  step: '',
  expiryFrom: '',
  expiryTo: '',
  lang: '',
};

// The API's audience, or null when nothing is chosen (the API refuses an
// audience without a filter, so a broadcast to everyone is a choice).
export function audienceOf(form: AudienceForm): Audience | null {
  if (form.everyone) return { all: true };
  const a: Audience = {};
  if (form.university) a.university = form.university;
  if (form.step) a.step = form.step;
  if (form.expiryFrom) a.expiry_from = form.expiryFrom;
  if (form.expiryTo) a.expiry_to = form.expiryTo;
  if (form.lang) a.lang = form.lang;
  return Object.keys(a).length ? a : null;
}

// The UTF-8 size of a text: the API's limit is 2000 bytes.
export function utf8Bytes(text: string): number {
  return new TextEncoder().encode(text).length;
}

export const MAX_TEXT_BYTES = 2000;

// The audience in words; `name` turns a university id into its name.
export function describeAudience(t: Translate, json: string | undefined, name: (id: string) => string = (id) => id): string {
  let a: Audience = {};
  try {
    a = JSON.parse(json ?? '{}') as Audience;
  } catch {
    return '—';
  }
  if (a.all) return t('audience.all');
  const parts: string[] = [];
  if (a.university) parts.push(t('audience.university', { value: name(a.university) }));
  if (a.step) parts.push(t('audience.step', { value: a.step }));
  if (a.expiry_from || a.expiry_to) parts.push(t('audience.expiry', { from: a.expiry_from ?? '…', to: a.expiry_to ?? '…' }));
  if (a.lang) parts.push(t('audience.lang', { value: a.lang === 'zh' ? t('compose.lang.zh') : t('compose.lang.en') }));
  return parts.join(' · ') || '—';
}
