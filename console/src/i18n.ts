// The two catalogues, the language in use and how it is chosen: what the
// person chose last (remembered in localStorage), else Chinese for a
// browser that asks for it, else English.
import { en, type MessageKey } from './messages/en';
import { zh } from './messages/zh';

export type Lang = 'en' | 'zh';
export const catalogues: Record<Lang, Record<MessageKey, string>> = { en, zh };
export const STORAGE_KEY = 'permit-console-lang';

export function initialLang(stored: string | null, browser: readonly string[]): Lang {
  if (stored === 'en' || stored === 'zh') return stored;
  for (const tag of browser) {
    const t = tag.toLowerCase();
    if (t.startsWith('zh')) return 'zh';
    if (t.startsWith('en')) return 'en';
  }
  return 'en';
}

export type Params = Record<string, string | number>;

// The text for `key`, with {name} replaced by params.name.
export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  return catalogues[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export type Translate = (key: MessageKey, params?: Params) => string;
export type { MessageKey };
