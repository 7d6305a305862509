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
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = await res.json();
      if (body && typeof body.error === 'string') message = body.error;
    } catch { /* not JSON: keep the status line */ }
    throw new ApiError(res.status, message);
  }
  return res.json();
}

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
  /** {window, results}: window is the level that answered (the API picks it for window 'auto'). */
  aggregates: (window, start, end, device) => getJson('api/aggregates/', {window, start, end, device})
    .then(body => ({window: body.window ?? window, results: items(body)})),

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
