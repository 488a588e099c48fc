// What the dashboard draws, from the API's figures (GET /api/v1/dashboard).

export interface DayFigures {
  date: string; // YYYY-MM-DD, China time
  messages: number;
  unanswered: number;
  hours: number[]; // 24, China time
}
export interface UniversityFigures {
  id: string;
  active_today: number;
  active_7d: number;
  funnel: Record<string, number>;
  deadlines: { d7: number; d14: number; d30: number };
}
export interface Overview {
  today: string;
  days: DayFigures[]; // oldest first, ending today
  universities: UniversityFigures[];
}

export interface Point {
  label: string;
  value: number;
}

// The hour of the day in China (UTC+8) at a unix time.
export function chinaHour(unixSeconds: number): number {
  return Math.floor(((unixSeconds + 8 * 3600) % 86400) / 3600);
}

// Messages in each of the last `count` hours, up to and including the
// current one (which is still filling).
export function lastHours(days: DayFigures[], nowUnix: number, count = 48): Point[] {
  const flat: Point[] = [];
  for (const d of days) d.hours.forEach((v, h) => flat.push({ label: `${d.date.slice(5)} ${String(h).padStart(2, '0')}:00`, value: v }));
  const end = flat.length - 24 + chinaHour(nowUnix) + 1;
  return flat.slice(Math.max(0, end - count), end);
}

export function lastDays(days: DayFigures[], count: number): Point[] {
  return days.slice(-count).map((d) => ({ label: d.date.slice(5), value: d.messages }));
}

// The share of messages the bot could not answer, per day, in whole percent.
export function unansweredRates(days: DayFigures[], count: number): Point[] {
  return days.slice(-count).map((d) => ({
    label: d.date.slice(5),
    value: d.messages ? Math.round((d.unanswered * 100) / d.messages) : 0,
  }));
}

export function sum(points: Point[]): number {
  return points.reduce((a, p) => a + p.value, 0);
}

// The rate over the last `count` days together, in whole percent.
export function overallRate(days: DayFigures[], count: number): number {
  const recent = days.slice(-count);
  const messages = recent.reduce((a, d) => a + d.messages, 0);
  const unanswered = recent.reduce((a, d) => a + d.unanswered, 0);
  return messages ? Math.round((unanswered * 100) / messages) : 0;
}

// The funnel in walkthrough order: every step of the university, with the
// students there now (steps nobody is at included, so the gaps show).
export function funnelSteps(
  steps: Array<{ id: string; title: string }>,
  funnel: Record<string, number>,
): Point[] {
  return steps.map((s) => ({ label: s.title, value: funnel[s.id] ?? 0 }));
}

// A scale's top: a round number at or above the largest value.
export function niceMax(max: number): number {
  if (max <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= max) return step * magnitude;
  return 10 * magnitude;
}
