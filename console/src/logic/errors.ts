import type { MessageKey, Translate } from '../i18n';
import { catalogues } from '../i18n';
import { ApiError } from '../api';

// What a person reads for a failed request: the catalogue's text for the
// error's code, or a general one with the status.
export function errorText(t: Translate, error: unknown): string {
  if (!(error instanceof ApiError)) return t('error.unknown', { status: '?' });
  if (error.code === 'locked') return t('error.locked', { minutes: Math.max(1, Math.ceil(error.retryAfter / 60)) });
  const key = `error.${error.code}` as MessageKey;
  if (key in catalogues.en) return t(key, { message: error.detail, status: error.status });
  if (error.status === 400) return t('error.bad_request', { message: error.code });
  return t('error.unknown', { status: error.status });
}
