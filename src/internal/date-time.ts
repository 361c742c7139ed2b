// RFC 3339 `date-time` (section 5.6), the string format OpenAPI's `format: date-time` names.

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/** Whether `text` is an RFC 3339 date-time with a real calendar date, e.g. `2025-11-21T09:30:00+03:00`. */
export function isDateTime(text: string): boolean {
  const match = DATE_TIME.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  // Stryker disable next-line ConditionalExpression,LogicalOperator,BooleanLiteral: the pattern's first three groups always match, so none is undefined; this only narrows the types
  if (year === undefined || month === undefined || day === undefined) return false;
  return (
    day >= 1 &&
    day <= daysIn(year, month) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 60 && // 60: a leap second, which RFC 3339 allows
    Number(offsetHour) <= 23 &&
    Number(offsetMinute) <= 59
  );
}

/** Days in `month` (1-12) of `year`; 0 for a month that does not exist. */
function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
}
