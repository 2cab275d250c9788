/**
 * How the real backend writes times and numbers, reproduced exactly: DRF serializer datetimes end in
 * `Z`, hand-built face fields use Python `isoformat()` (`+00:00`), error messages use `str(datetime)`
 * (a space instead of `T`), and microseconds are omitted when zero, as Python does.
 */

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function parts(ms: number): { date: string; time: string; micros: number } {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  return { date, time, micros: d.getUTCMilliseconds() * 1000 };
}

function frac(micros: number): string {
  return micros === 0 ? '' : `.${pad(micros, 6)}`;
}

/** Python `dt.isoformat()` of an aware UTC datetime: `2026-05-11T08:58:01.123000+00:00`. */
export function pyIso(ms: number): string {
  const p = parts(ms);
  return `${p.date}T${p.time}${frac(p.micros)}+00:00`;
}

/** DRF DateTimeField / JSONEncoder output: `2026-05-11T08:58:01.123000Z`. */
export function drfIso(ms: number): string {
  const p = parts(ms);
  return `${p.date}T${p.time}${frac(p.micros)}Z`;
}

/** Python `str(dt)`: `2026-05-11 08:58:01.123000+00:00`. */
export function pyStr(ms: number): string {
  const p = parts(ms);
  return `${p.date} ${p.time}${frac(p.micros)}+00:00`;
}

/** The UTC calendar date (`YYYY-MM-DD`): the backend's "today". */
export function utcDate(ms: number): string {
  return parts(ms).date;
}

/** UTC wall clock `HH:MM` (department-status). */
export function utcHourMinute(ms: number): string {
  return parts(ms).time.slice(0, 5);
}

/** Epoch ms of `YYYY-MM-DD` + `HH:MM[:SS]` read as UTC (Django `make_aware` with TIME_ZONE=UTC). */
export function utcMs(date: string, time: string): number {
  const t = time.length === 5 ? `${time}:00` : time;
  return Date.parse(`${date}T${t}Z`);
}

/** Adds days to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  return utcDate(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000);
}

/** Python `round(x, n)` for the values the backend rounds (half-to-even is irrelevant at this scale). */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** A Django `TimeField` value normalised to `HH:MM:SS`. */
export function normaliseTime(time: string): string {
  if (/^\d{2}:\d{2}$/.test(time)) return `${time}:00`;
  if (/^\d{2}:\d{2}:\d{2}$/.test(time)) return time;
  throw new Error(`not a time: ${time}`);
}
