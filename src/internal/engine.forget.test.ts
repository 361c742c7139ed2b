// Per-business state is freed: a business with nothing in flight and past every known Until holds no
// quota entry, so limits() shows only what still holds. Fake clock.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DEFAULT_CALL, fakeEngine, getThing, thing } from '../../test-support/fake-operations.ts';

const NOW = Date.parse('2026-11-25T12:00:00Z');

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

it('a business past its Until with nothing in flight is forgotten at the next call; one in its window is kept', async () => {
  const quota = (untilMs: number) => ({
    'X-RateLimit-Resource-Limit': '40',
    'X-RateLimit-Resource-Remaining': '30',
    'X-RateLimit-Resource-Until': new Date(Date.now() + untilMs).toISOString(),
  });
  const { engine } = fakeEngine([
    () => thing(1, quota(2_000)),
    () => thing(2, quota(10_000)),
    () => thing(3, quota(10_000)),
  ]);
  await engine.call(getThing, { businessId: 1, id: 1 }, DEFAULT_CALL);
  await engine.call(getThing, { businessId: 2, id: 2 }, DEFAULT_CALL);
  expect(Object.keys(engine.limits(1).quotas)).toEqual(['getThing']);
  await vi.advanceTimersByTimeAsync(2_000);
  await engine.call(getThing, { businessId: 3, id: 3 }, DEFAULT_CALL);
  expect(engine.limits(1)).toEqual({ inFlight: { limit: 4, active: 0, waiting: 0 }, quotas: {} });
  expect(engine.limits(2).quotas.getThing).toMatchObject({ remaining: 30 });
});
