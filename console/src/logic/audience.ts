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
