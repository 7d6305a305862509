// Display formatting in the browser's own locale and time zone.

const dateTime = new Intl.DateTimeFormat(undefined, {dateStyle: 'short', timeStyle: 'medium'});
const timeOnly = new Intl.DateTimeFormat(undefined, {timeStyle: 'medium'});
const numberFormats = new Map();

export const DASH = '–';

/** An ISO-8601 string, epoch milliseconds or Date -> Date, or null when absent or unparsable. */
export function toDate(value) {
  if (value == null || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Time of day for today's instants, date and time otherwise. */
export function formatTime(value) {
  const d = toDate(value);
  if (!d) return DASH;
  const now = new Date();
  const today = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth() && d.getDate() === now.getDate();
  return (today ? timeOnly : dateTime).format(d);
}

export function formatDateTime(value) {
  const d = toDate(value);
  return d ? dateTime.format(d) : DASH;
}

/** A <time> element: readable text plus the exact instant for assistive technology and tooltips. */
export function timeElement(value, fullDate = false) {
  const d = toDate(value);
  const el = document.createElement('time');
  el.textContent = d ? (fullDate ? dateTime.format(d) : formatTime(d)) : DASH;
  if (d) {
    el.dateTime = d.toISOString();
    el.title = dateTime.format(d);
  }
  return el;
}

export function formatNumber(value, maxDigits = 1) {
  if (value == null || !Number.isFinite(Number(value))) return DASH;
  let f = numberFormats.get(maxDigits);
  if (!f) {
    f = new Intl.NumberFormat(undefined, {minimumFractionDigits: 0, maximumFractionDigits: maxDigits});
    numberFormats.set(maxDigits, f);
  }
  return f.format(Number(value));
}

/** 75 -> "1 min 15 s", 7320 -> "2 h 2 min". */
export function formatDuration(seconds) {
  if (seconds == null || !Number.isFinite(Number(seconds))) return DASH;
  let s = Math.max(0, Math.round(Number(seconds)));
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return s > 0 ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

/** How long ago, coarsely: 45_000 -> "45 s ago", 150_000 -> "2 min ago", 3 * 3600_000 -> "3 h ago". */
export function formatAge(ms) {
  if (ms == null || !Number.isFinite(Number(ms))) return DASH;
  const s = Math.max(0, Math.floor(Number(ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** Value for an <input type="datetime-local"> showing the given instant in local time. */
export function toLocalInput(date) {
  const pad = n => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

const moneyFormats = new Map();

/** An amount in its currency (EUR -> "€1.84" in the browser's locale); a dash when unknown. */
export function formatMoney(value, currency) {
  if (value == null || !currency || !Number.isFinite(Number(value))) return DASH;
  let f = moneyFormats.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat(undefined, {style: 'currency', currency});
    } catch {
      f = {format: v => `${formatNumber(v, 2)} ${currency}`};
    }
    moneyFormats.set(currency, f);
  }
  return f.format(Number(value));
}
