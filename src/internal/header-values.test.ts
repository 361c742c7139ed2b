import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  headerValues,
  highest,
  lowest,
  parseCount,
  parseDeltaSecondsMs,
  parseHttpDate,
  parseResetTime,
} from './header-values.ts';

const iso = (value: string) => parseHttpDate(value)?.toISOString();

describe('parseHttpDate', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reads the three forms of RFC 9110, all in GMT', () => {
    expect(iso('Sun, 06 Nov 1994 08:49:37 GMT')).toBe('1994-11-06T08:49:37.000Z');
    expect(iso('Sunday, 06-Nov-94 08:49:37 GMT')).toBe('1994-11-06T08:49:37.000Z');
    expect(iso('Sun Nov  6 08:49:37 1994')).toBe('1994-11-06T08:49:37.000Z');
    expect(iso('Sun Nov 16 08:49:37 1994')).toBe('1994-11-16T08:49:37.000Z');
    expect(iso('  Thu, 31 Dec 2026 23:59:59 GMT  ')).toBe('2026-12-31T23:59:59.000Z');
  });

  it('takes every month and keeps years below 100 as they are', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    months.forEach((month, i) => {
      expect(parseHttpDate(`Mon, 01 ${month} 2029 00:00:00 GMT`)?.getUTCMonth()).toBe(i);
    });
    expect(iso('Mon, 01 Jan 0050 00:00:00 GMT')).toBe('0050-01-01T00:00:00.000Z');
  });

  it('counts a leap second into the next minute', () => {
    expect(iso('Wed, 31 Dec 2025 23:59:60 GMT')).toBe('2026-01-01T00:00:00.000Z');
  });

  it("reads RFC 850's two-digit year as the one within 50 years of now", () => {
    vi.useFakeTimers({ now: new Date('2026-06-01T00:00:00Z') });
    expect(iso('Sunday, 01-Nov-76 00:00:00 GMT')?.slice(0, 4)).toBe('2076');
    expect(iso('Sunday, 01-Nov-77 00:00:00 GMT')?.slice(0, 4)).toBe('1977');
    vi.setSystemTime(new Date('2080-06-01T00:00:00Z'));
    expect(iso('Sunday, 01-Nov-30 00:00:00 GMT')?.slice(0, 4)).toBe('2130');
    expect(iso('Sunday, 01-Nov-31 00:00:00 GMT')?.slice(0, 4)).toBe('2031');
  });

  it.each([
    'Sun, 06 Nov 1994 08:49:37 UTC',
    'Sun, 06 Nov 1994 08:49:37 gmt', // HTTP-date is case-sensitive
    'sun, 06 Nov 1994 08:49:37 GMT',
    'Sun, 06 nov 1994 08:49:37 GMT',
    'Sun,06 Nov 1994 08:49:37 GMT',
    'Sunday, 06 Nov 1994 08:49:37 GMT',
    'Sun, 06-Nov-94 08:49:37 GMT',
    'Sun, 6 Nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 94 08:49:37 GMT',
    'Sun, 06 Nov 1994 8:49:37 GMT',
    'Sun, 06 Nov 1994 08:49 GMT',
    'Sun Nov 6 08:49:37 1994',
    'Sun Nov  6 08:49:37 1994 GMT',
    'Sun, 00 Nov 1994 08:49:37 GMT',
    'Sun, 31 Nov 1994 08:49:37 GMT',
    'Sun, 29 Feb 2026 08:49:37 GMT',
    'Sun, 06 Nov 1994 24:00:00 GMT',
    'Sun, 06 Nov 1994 08:60:00 GMT',
    'Sun, 06 Nov 1994 08:49:61 GMT',
    'x Sun, 06 Nov 1994 08:49:37 GMT',
    '1994-11-06T08:49:37Z',
    'later 2030',
    '',
  ])('rejects %j', (value) => {
    expect(parseHttpDate(value)).toBeUndefined();
  });
});

describe('parseResetTime', () => {
  it('reads an HTTP-date or a full ISO 8601 time with its zone', () => {
    const at = (value: string) => parseResetTime(value)?.toISOString();
    expect(at('Sun, 06 Nov 1994 08:49:37 GMT')).toBe('1994-11-06T08:49:37.000Z');
    expect(at('1994-11-06T08:49:37Z')).toBe('1994-11-06T08:49:37.000Z');
    expect(at('1994-11-06T08:49:37.5Z')).toBe('1994-11-06T08:49:37.500Z');
    expect(at('1994-11-06T11:49:37+03:00')).toBe('1994-11-06T08:49:37.000Z');
    expect(at('1994-11-06T03:19:37-05:30')).toBe('1994-11-06T08:49:37.000Z');
    expect(at('1994-11-07T08:48:37+23:59')).toBe('1994-11-06T08:49:37.000Z');
    expect(at(' 1994-11-06T08:49:37Z ')).toBe('1994-11-06T08:49:37.000Z');
  });

  it.each([
    '1994-11-06T08:49:37', // no zone: whose local time?
    '1994-11-06 08:49:37Z',
    '1994-11-06',
    '1994-11-06T08:49Z',
    '1994-13-06T08:49:37Z',
    '1994-02-30T08:49:37Z',
    '1994-11-06T08:49:37+24:00',
    '1994-11-06T08:49:37+03:60',
    '1994-11-06T08:49:37+0300',
    'x1994-11-06T08:49:37Z',
    '1994-11-06T08:49:37Zx',
    '1994-11-06T08:49:37+03:00x',
    '1994-11-00T08:49:37Z',
    '1994-11-31T08:49:37Z',
    '1994-12-32T08:49:37Z',
    '1994-00-06T08:49:37Z',
  ])('rejects %j', (value) => {
    expect(parseResetTime(value)).toBeUndefined();
  });
});

describe('parseDeltaSecondsMs and parseCount', () => {
  it('take digits only (delta-seconds also a decimal), with surrounding spaces', () => {
    expect(['0', ' 7 ', '1.25'].map(parseDeltaSecondsMs)).toEqual([0, 7000, 1250]);
    expect(['', '-1', '+1', '1e3', '.5', '5.', '0x10', '1 2'].map(parseDeltaSecondsMs)).toEqual(
      Array(8).fill(undefined),
    );
    expect(['0', ' 42 ', '9007199254740991'].map(parseCount)).toEqual([0, 42, 9007199254740991]);
    expect(['', '-1', '1.5', '1e3', '9007199254740992', 'x'].map(parseCount)).toEqual(
      Array(6).fill(undefined),
    );
  });
});

describe('headerValues', () => {
  const keep = (element: string) => element;

  it('splits the copies of a repeated header, keeping the comma inside an HTTP-date', () => {
    expect(headerValues(null, keep)).toEqual([]);
    expect(headerValues(' 1 ,2,, 3 ', keep)).toEqual(['1', '2', '', '3']);
    expect(
      headerValues('Sun, 06 Nov 1994 08:49:37 GMT, Sunday, 06-Nov-94 08:49:37 GMT,7, Wed', keep),
    ).toEqual(['Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', '7', 'Wed']);
    expect(headerValues('Sund, 06 Nov 1994', keep)).toEqual(['Sund', '06 Nov 1994']);
    expect(headerValues('1, x, 2', parseCount)).toEqual([1, 2]);
  });

  it('lowest and highest are undefined for no values', () => {
    expect([lowest([]), highest([])]).toEqual([undefined, undefined]);
    expect([lowest([3, 1, 2]), highest([3, 1, 2])]).toEqual([1, 3]);
  });
});
