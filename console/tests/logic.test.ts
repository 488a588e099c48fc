import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audienceOf, describeAudience, emptyAudience, utf8Bytes } from '../src/logic/audience';
import { matchRoute, pathOf, type Route } from '../src/logic/routes';
import { prefixed, progressOf } from '../src/logic/progress';
import { localInputToUnix } from '../src/logic/format';
import { errorText } from '../src/logic/errors';
import { ApiError } from '../src/api';
import { translate } from '../src/i18n';

test('an audience needs a filter or everyone, and carries only what was chosen', () => {
  assert.equal(audienceOf(emptyAudience), null);
  assert.deepEqual(audienceOf({ ...emptyAudience, everyone: true, university: 'jsnu' }), { all: true });
  assert.deepEqual(audienceOf({ ...emptyAudience, university: 'jsnu', lang: 'zh' }), { university: 'jsnu', lang: 'zh' });
  assert.deepEqual(audienceOf({ ...emptyAudience, expiryFrom: '2027-01-01', expiryTo: '2027-03-31' }), {
    expiry_from: '2027-01-01',
    expiry_to: '2027-03-31',
  });
});

test('text length is counted in UTF-8 bytes, as the API does', () => {
  assert.equal(utf8Bytes('abc'), 3);
  assert.equal(utf8Bytes('你好'), 6);
});

test('routes: every page has a path that leads back to it', () => {
  const routes: Route[] = [
    { name: 'signIn' },
    { name: 'dashboard' },
    { name: 'broadcasts' },
    { name: 'compose' },
    { name: 'broadcast', id: '42' },
    { name: 'accounts' },
  ];
  for (const r of routes) assert.deepEqual(matchRoute(pathOf(r)), r);
  assert.deepEqual(matchRoute('/console/'), { name: 'dashboard' });
  assert.deepEqual(matchRoute('/console'), { name: 'dashboard' });
  assert.deepEqual(matchRoute('/console/broadcasts/42/'), { name: 'broadcast', id: '42' });
  assert.deepEqual(matchRoute('/console/broadcasts/abc'), { name: 'notFound' });
  assert.deepEqual(matchRoute('/console/nothing'), { name: 'notFound' });
});

test('progress counts what has ended, out of the larger of audience and queued', () => {
  assert.deepEqual(progressOf({ status: 'queued', audience_size: '10', queued: '10', sent: '3', skipped: '1', failed: '1' }), {
    total: 10,
    finished: 5,
    percent: 50,
    state: 'queued',
  });
  assert.equal(progressOf({ status: 'queued', audience_size: '3', queued: '3', sent: '3' }).state, 'done');
  assert.equal(progressOf({ status: 'queued', audience_size: '3', queued: '3', sent: '3' }).percent, 100);
  assert.equal(progressOf({ status: 'scheduled' }).state, 'scheduled');
  assert.equal(progressOf({ status: 'cancelled', queued: '4', sent: '1', cancelled: '3' }).percent, 100);
  assert.equal(progressOf({ status: 'queued', audience_size: '0', queued: '0' }).percent, 100, 'an empty audience is done');
  assert.equal(progressOf({ status: 'queued', audience_size: 'x', sent: '-4' }).finished, 0);
});

test('failures and reasons come out of the flat status, sorted', () => {
  const fields = { status: 'queued', 'failed:o2': 'unsubscribed', 'failed:o1': 'refused', 'reason:43004': '2' };
  assert.deepEqual(prefixed(fields, 'failed:'), [
    ['o1', 'refused'],
    ['o2', 'unsubscribed'],
  ]);
  assert.deepEqual(prefixed(fields, 'reason:'), [['43004', '2']]);
});

test('a datetime-local value becomes unix seconds; anything else is nothing', () => {
  const s = localInputToUnix('2030-01-02T03:04');
  assert.equal(s, Math.floor(new Date(2030, 0, 2, 3, 4).getTime() / 1000));
  assert.equal(localInputToUnix(''), null);
  assert.equal(localInputToUnix('tomorrow'), null);
});

test('errors read as the catalogue says, by their code', () => {
  const t = (k: any, p?: any) => translate('en', k, p);
  assert.equal(errorText(t, new ApiError(401, 'bad_credentials', '')), 'The name or the password is wrong.');
  assert.equal(errorText(t, new ApiError(429, 'locked', '', 900)), 'Too many failed attempts. Try again in 15 minutes.');
  assert.equal(errorText(t, new ApiError(400, 'must be en or zh', '')), 'The request was not accepted: must be en or zh');
  assert.equal(errorText(t, new ApiError(502, 'weird', '')), 'Something went wrong (502).');
  assert.equal(errorText(t, new Error('x')), 'Something went wrong (?).');
});

test('an audience in words, with the university named', () => {
  const t = (k: any, p?: any) => translate('en', k, p);
  const name = (id: string) => (id === 'jsnu' ? 'Jiangsu Normal University' : id);
  assert.equal(describeAudience(t, '{"all":true}', name), 'every student');
  assert.equal(
    describeAudience(t, '{"university":"jsnu","lang":"zh","expiry_to":"2027-03-31"}', name),
    'university Jiangsu Normal University · permit expiring … – 2027-03-31 · language Chinese',
  );
  assert.equal(describeAudience(t, 'not json'), '—');
});
