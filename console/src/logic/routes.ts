// The console's pages and their paths, all under /console/.
export type Route =
  | { name: 'signIn' }
  | { name: 'dashboard' }
  | { name: 'broadcasts' }
  | { name: 'compose' }
  | { name: 'broadcast'; id: string }
  | { name: 'accounts' }
  | { name: 'notFound' };

export const BASE = '/console';

export function matchRoute(pathname: string): Route {
  let path = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  path = path.replace(/\/+$/, '');
  if (path === '' || path === '/dashboard') return { name: 'dashboard' };
  if (path === '/broadcasts') return { name: 'broadcasts' };
  if (path === '/sign-in') return { name: 'signIn' };
  if (path === '/broadcasts/new') return { name: 'compose' };
  const detail = /^\/broadcasts\/(\d{1,18})$/.exec(path);
  if (detail) return { name: 'broadcast', id: detail[1] };
  if (path === '/accounts') return { name: 'accounts' };
  return { name: 'notFound' };
}

export function pathOf(route: Route): string {
  switch (route.name) {
    case 'signIn':
      return `${BASE}/sign-in`;
    case 'dashboard':
      return `${BASE}/dashboard`;
    case 'broadcasts':
      return `${BASE}/broadcasts`;
    case 'compose':
      return `${BASE}/broadcasts/new`;
    case 'broadcast':
      return `${BASE}/broadcasts/${route.id}`;
    case 'accounts':
      return `${BASE}/accounts`;
    case 'notFound':
      return `${BASE}/`;
  }
}
