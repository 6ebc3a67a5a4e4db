// URL-hash routing: `#/<view>?<query>`, so links, bookmarks and the back button work and a static host
// needs no rewrite rules.
//
// How a view receives its route: the shell renders every visited view once and keeps it (a printer
// view must outlive a trip to the Library), and on each route change sets two properties on it:
//   - `params`: the query as a plain object, e.g. `#/printer?gcode=abc` gives `{ gcode: 'abc' }`
//     (`{}` when there is none); a new object on every change, so a Lit `@property()` re-renders;
//   - `active`: true while the view is the one shown (pause animations or polling when false).
// Anything else can listen to the `sp-route-change` event on `window` (detail: `Route`).
// To move elsewhere, set `location.hash = routeHref('printer', { gcode: id })` or use a link.

export const VIEW_NAMES = ['printer', 'prepare', 'library', 'history', 'settings'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];
export const DEFAULT_VIEW: ViewName = 'printer';

export const VIEW_TITLES: Record<ViewName, string> = {
  printer: 'Printer',
  prepare: 'Prepare',
  library: 'Library',
  history: 'History',
  settings: 'Settings',
};

export interface Route {
  view: ViewName;
  params: Readonly<Record<string, string>>;
}

export const ROUTE_CHANGE_EVENT = 'sp-route-change';

function isViewName(name: string): name is ViewName {
  return (VIEW_NAMES as readonly string[]).includes(name);
}

/** Reads `#/library?preview=42` as `{ view: 'library', params: { preview: '42' } }`. Unknown → default. */
export function parseRoute(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const queryAt = body.indexOf('?');
  const path = (queryAt < 0 ? body : body.slice(0, queryAt)).replace(/\/+$/, '').toLowerCase();
  const query = queryAt < 0 ? '' : body.slice(queryAt + 1);
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) params[key] = value;
  return { view: isViewName(path) ? path : DEFAULT_VIEW, params };
}

export function routeHref(view: ViewName, params: Record<string, string> = {}): string {
  const query = new URLSearchParams(params).toString();
  return `#/${view}${query ? `?${query}` : ''}`;
}

/** Watches `location.hash` and reports every route, starting with the current one. */
export class HashRouter {
  private readonly onHashChange = () => this.emit();

  constructor(
    private readonly listener: (route: Route) => void,
    private readonly target: Window = window,
  ) {}

  start(): void {
    this.target.addEventListener('hashchange', this.onHashChange);
    this.emit();
  }

  stop(): void {
    this.target.removeEventListener('hashchange', this.onHashChange);
  }

  private emit(): void {
    const route = parseRoute(this.target.location.hash);
    this.listener(route);
    this.target.dispatchEvent(new CustomEvent<Route>(ROUTE_CHANGE_EVENT, { detail: route }));
  }
}
