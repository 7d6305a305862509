// The query API, addressed relative to the page so the dashboard also works behind a path prefix.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function url(path, params = {}) {
  const u = new URL(path, document.baseURI);
  for (const [key, value] of Object.entries(params)) {
    if (value != null && value !== '') u.searchParams.set(key, value instanceof Date ? value.toISOString() : value);
  }
  return u;
}

async function getJson(path, params) {
  const res = await fetch(url(path, params), {headers: {Accept: 'application/json'}, cache: 'no-store'});
  return answer(res);
}

async function answer(res) {
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = await res.json();
      if (body && typeof body.error === 'string') message = body.error;
    } catch { /* not JSON: keep the status line */ }
    throw new ApiError(res.status, message);
  }
  return res.status === 204 ? null : res.json();
}

// The login: the token goes to the server once and is never kept here; the session lives in an
// HttpOnly cookie no script can read. Writes carry the session's CSRF token, held in memory only.
let current = null;

async function send(method, path, body) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (current?.csrf_token) headers['X-CSRF-Token'] = current.csrf_token;
  const res = await fetch(url(path), {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store', credentials: 'same-origin'});
  return answer(res);
}

export const session = {
  /** Who is logged in ({name, role, csrf_token}), or null. */
  get current() { return current; },
  async load() {
    current = await getJson('api/session'); // 204 (null) when nobody is logged in
    return current;
  },
  async login(token) {
    current = await send('POST', 'api/session', {token});
    return current;
  },
  async logout() {
    try {
      await send('DELETE', 'api/session');
    } finally {
      current = null;
    }
  },
};

/** Lists come back either bare or wrapped in the paginated shape; the dashboard wants the items. */
function items(body) {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.results)) return body.results;
  return [];
}

export const STREAM_URL = () => url('api/stream').toString();

export const api = {
  config: () => getJson('api/config'),
  /** The CSV export of one device's readings (every device's when none) in [start, end]. */
  csvUrl: (device, start, end) => url('api/measurements.csv', {device, start, end}).toString(),
  latest: (limit = 10) => getJson('api/measurements/latest/', {limit}).then(items),
  devices: () => getJson('api/devices/').then(items),
  alerts: (state, params = {}) => getJson('api/alerts/', {state, ...params}).then(items),
  /** Acknowledges an alert (an admin's session); answers the acknowledgement. */
  ack: (id, note) => send('POST', `api/alerts/${encodeURIComponent(id)}/ack`, note ? {note} : {}),
  /** {window, results}: window is the level that answered (the API picks it for window 'auto'). */
  aggregates: (window, start, end, device) => getJson('api/aggregates/', {window, start, end, device})
    .then(body => ({window: body.window ?? window, results: items(body)})),
  liveSessions: () => getJson('api/sessions/live').then(body => body?.sessions ?? []),
  sessions: (pageSize = 20) => getJson('api/sessions/', {page_size: pageSize}).then(items),
  daily: device => getJson('api/energy/daily', {device}).then(items),

  /** Readings of one device in [start, end], oldest first, following pages up to maxRows. */
  async measurements(device, start, end, maxRows = 5000) {
    const pageSize = 1000;
    const rows = [];
    for (let page = 1; rows.length < maxRows; page++) {
      let body;
      try {
        body = await getJson('api/measurements/', {device, start, end, page, page_size: pageSize});
      } catch (e) {
        // A page past the end is 404 in this API (and the first page of an empty range may be too).
        if (e instanceof ApiError && e.status === 404) break;
        throw e;
      }
      const got = items(body);
      rows.push(...got);
      if (!body.next || got.length < pageSize) break;
    }
    return rows.reverse();
  },
};
