// Reads header values strictly: a lenient parser (Date.parse) turns "later 2030" into a wait until 2030.

const DAY_NAMES = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
const LONG_DAY_NAMES = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(?<month>${MONTHS.join('|')})`;
const TIME = '(?<hour>\\d{2}):(?<minute>\\d{2}):(?<second>\\d{2})';

/** The three forms of RFC 9110 §5.6.7, case-sensitive as it says; the last two are obsolete but still sent. */
const HTTP_DATE_FORMS = [
  new RegExp(`^(?:${DAY_NAMES}), (?<day>\\d{2}) ${MONTH} (?<year>\\d{4}) ${TIME} GMT$`), // IMF-fixdate
  new RegExp(`^(?:${LONG_DAY_NAMES}), (?<day>\\d{2})-${MONTH}-(?<yy>\\d{2}) ${TIME} GMT$`), // RFC 850
  new RegExp(`^(?:${DAY_NAMES}) ${MONTH} (?<day>[ \\d]\\d) ${TIME} (?<year>\\d{4})$`), // asctime
];

/** ISO 8601 in full, with its zone: a local time without one could be any of 26 hours. */
const ISO_DATE_TIME =
  /^(?<year>\d{4})-(?<monthNumber>\d{2})-(?<day>\d{2})T(?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(?<fraction>\.\d{1,9})?(?:Z|(?<sign>[+-])(?<offsetHours>\d{2}):(?<offsetMinutes>\d{2}))$/;

const BARE_DAY_NAME = new RegExp(`^(?:${DAY_NAMES}|${LONG_DAY_NAMES})$`);

/**
 * Every valid value of a header that may have been sent more than once: fetch joins the copies with ", ".
 * The comma after an HTTP-date's day name is part of the date, so a bare day name takes the next element.
 */
export function headerValues<T>(value: string | null, parse: (element: string) => T | undefined): T[] {
  if (value === null) return [];
  // A count sent once, as nearly always: nothing to split (every response carries such headers).
  if (!value.includes(',')) {
    const only = parse(value.trim());
    return only === undefined ? [] : [only];
  }
  const elements: string[] = [];
  for (const part of value.split(',')) {
    // Stryker disable next-line StringLiteral: any default that is not a day name does the same
    const last = elements.at(-1) ?? '';
    if (BARE_DAY_NAME.test(last)) elements[elements.length - 1] = `${last},${part}`;
    else elements.push(part.trim());
  }
  return elements.flatMap((element) => parse(element) ?? []);
}

export function lowest(values: number[]): number | undefined {
  return values.length === 0 ? undefined : Math.min(...values);
}

export function highest(values: number[]): number | undefined {
  return values.length === 0 ? undefined : Math.max(...values);
}

/** An HTTP-date of RFC 9110 (`Wed, 25 Nov 2026 12:00:00 GMT` or an obsolete form), else undefined. */
export function parseHttpDate(value: string): Date | undefined {
  // The same Date and Until come on every response for a second or an hour: each is read once. Two
  // entries, as a response carries both; one would be evicted by the other on every call.
  let known = recentHttpDates.find((entry) => entry.value === value);
  if (known === undefined) {
    known = { value, ms: readHttpDate(value)?.getTime() };
    recentHttpDates = [known, recentHttpDates[0] ?? known];
  }
  return known.ms === undefined ? undefined : new Date(known.ms);
}

let recentHttpDates: { value: string; ms: number | undefined }[] = [];

function readHttpDate(value: string): Date | undefined {
  for (const form of HTTP_DATE_FORMS) {
    const groups = form.exec(value.trim())?.groups;
    if (groups !== undefined) return dateOf(groups);
  }
  return undefined;
}

/**
 * A reset time: an HTTP-date, or a full ISO 8601 time with its zone. ISO cannot be misread and is what
 * Yandex writes in its bodies, so a gateway that rewrites the header in it should not make us ignore
 * the reset and retry into more 420s.
 */
export function parseResetTime(value: string): Date | undefined {
  const httpDate = parseHttpDate(value); // the usual form, read once per distinct value
  if (httpDate !== undefined) return httpDate;
  const groups = ISO_DATE_TIME.exec(value.trim())?.groups;
  return groups === undefined ? undefined : dateOf(groups);
}

/** `Retry-After`'s delta-seconds (RFC 9110: 1*DIGIT; a decimal such as `0.5` is tolerated) in ms. */
export function parseDeltaSecondsMs(value: string): number | undefined {
  const trimmed = value.trim();
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) * 1000 : undefined;
}

/** A count such as `X-RateLimit-Resource-Remaining`: digits only, as a safe integer. */
export function parseCount(value: string): number | undefined {
  const trimmed = value.trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) ? n : undefined;
}

function dateOf(groups: Record<string, string | undefined>): Date | undefined {
  const year = groups.yy === undefined ? Number(groups.year) : fullYear(Number(groups.yy));
  const month = groups.month === undefined ? Number(groups.monthNumber) - 1 : MONTHS.indexOf(groups.month);
  const day = Number(groups.day);
  const hour = Number(groups.hour);
  const minute = Number(groups.minute);
  const second = Number(groups.second); // 60 is a leap second (RFC 9110): it carries into the next minute
  const offset = offsetMinutes(groups);
  if (hour > 23 || minute > 59 || second > 60 || offset === undefined) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day); // unlike Date.UTC, keeps years 0-99 as they are
  // An impossible day (00, 31 Nov, 29 Feb 2026) moves the date into another month.
  if (date.getUTCMonth() !== month) return undefined;
  date.setUTCHours(hour, minute, second, Math.round(Number(groups.fraction ?? 0) * 1000));
  return new Date(date.getTime() - offset * 60_000);
}

/** RFC 850's two-digit year is the one within 50 years of now, as RFC 9110 asks. */
function fullYear(yy: number): number {
  const thisYear = new Date().getUTCFullYear();
  const year = thisYear - (thisYear % 100) + yy;
  if (year > thisYear + 50) return year - 100;
  if (year <= thisYear - 50) return year + 100;
  return year;
}

/** The zone offset of an ISO time in minutes east of UTC (0 for Z and for HTTP-dates, which are GMT). */
function offsetMinutes(groups: Record<string, string | undefined>): number | undefined {
  if (groups.sign === undefined) return 0;
  const hours = Number(groups.offsetHours);
  const minutes = Number(groups.offsetMinutes);
  if (hours > 23 || minutes > 59) return undefined;
  return (groups.sign === '-' ? -1 : 1) * (hours * 60 + minutes);
}
