import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chinaHour, funnelSteps, lastDays, lastHours, niceMax, overallRate, unansweredRates, type DayFigures } from '../src/logic/dashboard';

const day = (date: string, messages: number, unanswered: number, hourly: Record<number, number> = {}): DayFigures => ({
  date,
  messages,
  unanswered,
  hours: Array.from({ length: 24 }, (_, h) => hourly[h] ?? 0),
});

test('the hour in China is UTC+8', () => {
  assert.equal(chinaHour(Date.UTC(2026, 11, 5, 0, 30) / 1000), 8);
  assert.equal(chinaHour(Date.UTC(2026, 11, 5, 16, 0) / 1000), 0);
});

test('the last hours end at the current China hour, across midnight', () => {
  const days = [day('2026-12-04', 3, 0, { 22: 1, 23: 2 }), day('2026-12-05', 5, 0, { 0: 4, 1: 1 })];
  const now = Date.UTC(2026, 11, 4, 17, 10) / 1000; // 01:10 on the 5th in China
  const hours = lastHours(days, now, 4);
  assert.deepEqual(hours.map((p) => p.value), [1, 2, 4, 1]);
  assert.equal(hours[0].label, '12-04 22:00');
  assert.equal(hours[3].label, '12-05 01:00');
});

test('days, rates and the overall rate', () => {
  const days = [day('2026-12-01', 0, 0), day('2026-12-02', 10, 1), day('2026-12-03', 4, 2)];
  assert.deepEqual(lastDays(days, 2), [
    { label: '12-02', value: 10 },
    { label: '12-03', value: 4 },
  ]);
  assert.deepEqual(unansweredRates(days, 3).map((p) => p.value), [0, 10, 50]);
  assert.equal(overallRate(days, 3), 21); // 3 of 14
  assert.equal(overallRate([], 7), 0);
});

test('the funnel lists every step in order, nobody included', () => {
  const steps = [
    { id: 'a', title: 'Photo' },
    { id: 'b', title: 'Medical' },
    { id: 'c', title: 'Submit' },
  ];
  assert.deepEqual(funnelSteps(steps, { b: 3, z: 9 }), [
    { label: 'Photo', value: 0 },
    { label: 'Medical', value: 3 },
    { label: 'Submit', value: 0 },
  ]);
});

test('a scale tops out at a round number', () => {
  assert.equal(niceMax(0), 5);
  assert.equal(niceMax(7), 10);
  assert.equal(niceMax(12), 20);
  assert.equal(niceMax(230), 250);
  assert.equal(niceMax(1000), 1000);
});
