// A broadcast's progress, from the counts the API returns as strings.

export interface BroadcastStatus {
  status?: string;
  audience_size?: string;
  queued?: string;
  sent?: string;
  skipped?: string;
  failed?: string;
  cancelled?: string;
}

const n = (v: string | undefined): number => {
  const x = Number(v ?? 0);
  return Number.isFinite(x) && x > 0 ? x : 0;
};

export interface Progress {
  total: number;
  finished: number; // sent + skipped + failed + cancelled
  percent: number; // 0..100, whole
  state: 'scheduled' | 'queueing' | 'queued' | 'done' | 'cancelled';
}

export function progressOf(b: BroadcastStatus): Progress {
  const total = Math.max(n(b.audience_size), n(b.queued));
  const finished = n(b.sent) + n(b.skipped) + n(b.failed) + n(b.cancelled);
  const percent = total === 0 ? (b.status === 'queued' ? 100 : 0) : Math.min(100, Math.floor((finished * 100) / total));
  let state: Progress['state'] = 'queueing';
  if (b.status === 'scheduled' || b.status === 'cancelled' || b.status === 'queueing') state = b.status;
  else if (b.status === 'queued') state = finished >= total ? 'done' : 'queued';
  return { total, finished, percent, state };
}

// Failures and reasons, from the flat status answer ("failed:OPENID",
// "reason:TEXT").
export function prefixed(fields: Record<string, string>, prefix: string): Array<[string, string]> {
  return Object.keys(fields)
    .filter((k) => k.startsWith(prefix))
    .sort()
    .map((k) => [k.slice(prefix.length), fields[k]]);
}
