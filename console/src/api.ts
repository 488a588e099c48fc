// Talks to the bot's API on the same origin. Changes carry the session's
// CSRF token; every answer that is not 2xx becomes an ApiError whose code
// is a catalogue key ("error.CODE").

export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    public readonly detail: string,
    public readonly retryAfter = 0,
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

let csrfToken = '';
let signedOutHandler: () => void = () => {};

export function setCsrf(token: string): void {
  csrfToken = token;
}
export function onSignedOut(handler: () => void): void {
  signedOutHandler = handler;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', '');
  }
  if (response.status === 204) return undefined as T;
  let data: any = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const code = typeof data?.error === 'string' ? data.error : 'unknown';
    const detail = typeof data?.message === 'string' ? data.message : typeof data?.error === 'string' ? data.error : '';
    const error = new ApiError(response.status, code, detail, Number(data?.retry_after ?? 0));
    // The staff API answers a body error with {"error": text, "field"}: keep the text.
    if (response.status === 401 && path !== '/api/v1/session') signedOutHandler();
    throw error;
  }
  return data as T;
}
