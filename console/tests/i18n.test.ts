import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogues, initialLang, translate } from '../src/i18n';

test('both catalogues have the same keys and no empty text', () => {
  const en = Object.keys(catalogues.en).sort();
  const zh = Object.keys(catalogues.zh).sort();
  assert.deepEqual(zh, en);
  for (const lang of ['en', 'zh'] as const)
    for (const [key, text] of Object.entries(catalogues[lang])) assert.ok(text.trim().length > 0, `${lang} ${key}`);
});

test('the placeholders of a text are the same in both languages', () => {
  const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(catalogues.en) as Array<keyof typeof catalogues.en>)
    assert.deepEqual(names(catalogues.zh[key]), names(catalogues.en[key]), key);
});

test('the Chinese catalogue is Chinese', () => {
  const han = /[\u4e00-\u9fff]/;
  // Language names and the switch's own label are the exceptions.
  const exceptions = new Set(['lang.switch', 'compose.previewEn', 'compose.previewZh']);
  for (const [key, text] of Object.entries(catalogues.zh))
    if (!exceptions.has(key)) assert.match(text, han, key);
});

test('the language: the remembered choice, else the browser asking for Chinese, else English', () => {
  assert.equal(initialLang('en', ['zh-CN']), 'en');
  assert.equal(initialLang('zh', ['en-US']), 'zh');
  assert.equal(initialLang(null, ['zh-TW', 'en']), 'zh');
  assert.equal(initialLang(null, ['en-GB', 'zh-CN']), 'en');
  assert.equal(initialLang(null, ['fr-FR', 'zh']), 'zh');
  assert.equal(initialLang(null, ['fr-FR']), 'en');
  assert.equal(initialLang('klingon', []), 'en');
});

test('translate fills in the parameters and leaves unknown ones visible', () => {
  assert.equal(translate('en', 'compose.count', { count: 12 }), 'Reaches 12 students');
  assert.equal(translate('zh', 'compose.count', { count: 12 }), '将发送给 12 名学生');
  assert.equal(translate('en', 'compose.count'), 'Reaches {count} students');
});
