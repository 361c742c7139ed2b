import { describe, expect, it } from 'vitest';
import type { RateLimitState } from '../rate-limit.ts';
import { QuotaBook } from './quota-book.ts';

const NOW = 1_000_000;

function state(remaining: number | undefined, resetAt: number | undefined, businessId = 1): RateLimitState {
  return {
    businessId,
    limit: 40,
    remaining,
    resetAt: resetAt === undefined ? undefined : new Date(resetAt),
  };
}

/** A book that saw one response of `op` for business 1; its reset is the same in both clocks. */
function bookWith(remaining: number | undefined, resetAt: number | undefined): QuotaBook {
  const book = new QuotaBook();
  book.observe(state(remaining, resetAt), 'op', resetAt);
  return book;
}

describe('QuotaBook', () => {
  it('holds nothing it has not heard of', () => {
    const book = new QuotaBook();
    expect(book.heldUntil(1, 'op', NOW)).toBeUndefined();
    expect(book.state(1, 'op')).toBeUndefined();
  });

  it('holds an operation whose quota is used up until its reset, and only that business and operation', () => {
    const book = bookWith(0, NOW + 5_000);
    expect(book.heldUntil(1, 'op', NOW)).toBe(NOW + 5_000);
    expect(book.heldUntil(1, 'op', NOW + 4_999)).toBe(NOW + 5_000);
    expect(book.heldUntil(1, 'op', NOW + 5_000)).toBeUndefined();
    expect(book.heldUntil(1, 'other', NOW)).toBeUndefined();
    expect(book.heldUntil(2, 'op', NOW)).toBeUndefined();
    expect(book.state(1, 'op')).toEqual(state(0, NOW + 5_000));
  });

  it('uses the reset in our clock, not the one the server sent', () => {
    const book = new QuotaBook();
    book.observe(state(0, NOW + 60_000), 'op', NOW + 5_000);
    expect(book.heldUntil(1, 'op', NOW)).toBe(NOW + 5_000);
    expect(book.heldUntil(1, 'op', NOW + 5_000)).toBeUndefined();
  });

  it('does not hold without a reset time or a Remaining', () => {
    expect(bookWith(0, undefined).heldUntil(1, 'op', NOW)).toBeUndefined();
    expect(bookWith(undefined, NOW + 5_000).heldUntil(1, 'op', NOW)).toBeUndefined();
  });

  it('counts the requests in flight against Remaining until they are answered', () => {
    const book = bookWith(2, NOW + 5_000);
    book.sending(1, 'op');
    expect(book.heldUntil(1, 'op', NOW)).toBeUndefined();
    book.sending(1, 'op');
    expect(book.heldUntil(1, 'op', NOW)).toBe(NOW + 5_000);
    book.sending(1, 'other');
    book.sending(2, 'op');
    book.answered(1, 'op');
    expect(book.heldUntil(1, 'op', NOW)).toBeUndefined();
    book.answered(1, 'op');
    book.answered(1, 'op'); // more answers than requests: the count stays at 0
    book.sending(1, 'op');
    expect(book.heldUntil(1, 'op', NOW)).toBeUndefined();
    book.sending(1, 'op');
    expect(book.heldUntil(1, 'op', NOW)).toBe(NOW + 5_000);
  });

  it('counts requests sent before the first response', () => {
    const book = new QuotaBook();
    book.sending(1, 'op');
    book.sending(1, 'op');
    book.sending(1, 'op');
    book.answered(1, 'op');
    book.observe(state(2, NOW + 5_000), 'op', NOW + 5_000);
    expect(book.heldUntil(1, 'op', NOW)).toBe(NOW + 5_000);
    expect(book.state(1, 'op')).toEqual(state(2, NOW + 5_000));
  });

  it.each([
    ['a lower Remaining in the same window', state(3, NOW + 5_000), 3],
    ['an equal Remaining in the same window', state(5, NOW + 5_000), 5],
    ['a later window, even with more left', state(40, NOW + 9_000), 40],
    ['a response without a reset time and fewer left', state(3, undefined), 3],
    ['a response without Remaining', state(undefined, NOW + 5_000), undefined],
  ])('takes %s', (_, next, remaining) => {
    const book = bookWith(5, NOW + 5_000);
    book.observe(next, 'op', next.resetAt?.getTime());
    expect(book.state(1, 'op')?.remaining).toBe(remaining);
  });

  it.each([
    ['a higher Remaining in the same window', state(6, NOW + 5_000)],
    ['an earlier window', state(1, NOW + 1_000)],
    ['a response without a reset time and more left', state(7, undefined)],
  ])('ignores %s (a response that arrived late)', (_, next) => {
    const book = bookWith(5, NOW + 5_000);
    book.observe(next, 'op', next.resetAt?.getTime());
    expect(book.state(1, 'op')).toEqual(state(5, NOW + 5_000));
  });

  it('takes a Remaining after one that had none', () => {
    const book = bookWith(undefined, NOW + 5_000);
    book.observe(state(9, NOW + 5_000), 'op', NOW + 5_000);
    expect(book.state(1, 'op')?.remaining).toBe(9);
  });

  describe('a block (a Retry-After on a rate-limit answer)', () => {
    it('holds the operation until then, even with quota left, the latest block winning', () => {
      const book = bookWith(30, NOW + 60_000);
      book.block(1, 'op', NOW + 3_000);
      book.block(1, 'op', NOW + 2_000);
      expect(book.heldUntil(1, 'op', NOW)).toBe(NOW + 3_000);
      expect(book.heldUntil(1, 'op', NOW + 3_000)).toBeUndefined();
      expect(book.heldUntil(1, 'other', NOW)).toBeUndefined();
    });

    it('survives a later response', () => {
      const book = bookWith(30, NOW + 60_000);
      book.block(1, 'op', NOW + 3_000);
      book.observe(state(29, NOW + 60_000), 'op', NOW + 60_000);
      expect(book.heldUntil(1, 'op', NOW)).toBe(NOW + 3_000);
    });

    it('works for an operation never heard of, whose state is then all unknown', () => {
      const book = new QuotaBook();
      book.block(1, 'op', NOW + 3_000);
      expect(book.heldUntil(1, 'op', NOW + 2_999)).toBe(NOW + 3_000);
      expect(book.heldUntil(1, 'op', NOW + 3_000)).toBeUndefined();
      expect(book.state(1, 'op')).toEqual({
        businessId: 1,
        limit: undefined,
        remaining: undefined,
        resetAt: undefined,
      });
      book.observe(state(0, NOW + 5_000), 'op', NOW + 5_000);
      expect(book.heldUntil(1, 'op', NOW + 3_000)).toBe(NOW + 5_000);
    });

    it('a used-up quota past the block still holds', () => {
      const book = bookWith(0, NOW + 5_000);
      book.block(1, 'op', NOW + 1_000);
      expect(book.heldUntil(1, 'op', NOW + 1_000)).toBe(NOW + 5_000);
    });
  });
});
