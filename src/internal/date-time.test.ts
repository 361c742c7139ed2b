// isDateTime: RFC 3339 date-time, the format the spec's `format: date-time` fields (createdAt, sentAt) use.
import { describe, expect, it } from 'vitest';
import { isDateTime } from './date-time.ts';

describe('isDateTime', () => {
  it.each([
    '2026-11-25T19:42:17Z',
    '2026-11-25t19:42:17z',
    '2026-11-25T19:42:17.512Z',
    '2026-11-25T19:42:17+03:00',
    '2026-11-25T19:42:17-23:59',
    '2026-01-31T00:00:00Z',
    '2026-11-01T00:00:00Z',
    '2026-12-31T23:59:59Z',
    '2026-06-30T23:59:60Z', // a leap second
    '2024-02-29T12:00:00Z', // a leap year
    '2000-02-29T12:00:00Z', // divisible by 400: a leap year
    '2026-04-30T12:00:00Z',
  ])('accepts %s', (text) => {
    expect(isDateTime(text)).toBe(true);
  });

  it.each([
    '2026-11-25', // a date alone
    '2026-11-25T19:42:17', // no offset
    '2026-11-25 19:42:17Z', // a space for T
    'x2026-11-25T19:42:17Z',
    '2026-11-25T19:42:17Zx',
    '2026-11-25T19:42:17.Z',
    '2026-11-25T19:42:17+0300',
    '2026-00-10T12:00:00Z', // month 0
    '2026-13-10T12:00:00Z', // month 13
    '2026-11-00T12:00:00Z', // day 0
    '2026-11-31T12:00:00Z', // November has 30 days
    '2026-01-32T12:00:00Z',
    '2026-12-32T12:00:00Z',
    '2026-02-29T12:00:00Z', // not a leap year
    '2100-02-29T12:00:00Z', // divisible by 100 but not by 400
    '2026-11-25T24:00:00Z',
    '2026-11-25T19:60:00Z',
    '2026-11-25T19:42:61Z',
    '2026-11-25T19:42:17+24:00',
    '2026-11-25T19:42:17+03:60',
  ])('refuses %s', (text) => {
    expect(isDateTime(text)).toBe(false);
  });
});
