// The Link on a fake connection and fake timers: scripts by SHA (whole once Redis lacks them), a failed or
// slow command marks Redis down (reported once per outage), and a probe finds when it answers again.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DOWN, Link, type RedisConnection, script } from './link.ts';

/** A connection whose commands answer as each test says. */
function fakeConnection(status = 'ready') {
  const connection = Object.assign(new EventEmitter(), {
    status,
    evalsha: vi.fn(async (..._args: unknown[]): Promise<unknown> => 'evalsha-reply'),
    eval: vi.fn(async (..._args: unknown[]): Promise<unknown> => 'eval-reply'),
    ping: vi.fn(async (): Promise<unknown> => 'PONG'),
  });
  return connection;
}

const never = () => new Promise<never>(() => {});

function setUp(status = 'ready', probeMs?: number) {
  const connection = fakeConnection(status);
  const errors: Error[] = [];
  const changes: boolean[] = [];
  const link = new Link(connection as unknown as RedisConnection, {
    commandTimeoutMs: 200,
    onError: (error) => errors.push(error),
    ...(probeMs === undefined ? {} : { probeMs }),
  });
  link.onChange((up) => changes.push(up));
  return { connection, link, errors, changes };
}

const RETURN_ONE = script('return 1');

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('script', () => {
  it('names a script by the SHA-1 Redis gives it', () => {
    // SCRIPT LOAD "return 1" answers this SHA in every Redis.
    expect(RETURN_ONE).toEqual({ source: 'return 1', sha: 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db' });
  });
});

describe('Link', () => {
  it('runs a script by its SHA with its keys and arguments', async () => {
    const { connection, link, errors } = setUp();
    expect(link.up).toBe(true);
    expect(await link.run(RETURN_ONE, ['k1', 'k2'], ['a', 3])).toBe('evalsha-reply');
    expect(connection.evalsha).toHaveBeenCalledWith(RETURN_ONE.sha, 2, 'k1', 'k2', 'a', 3);
    expect(connection.eval).not.toHaveBeenCalled();
    expect(errors).toEqual([]);
  });

  it('sends the whole script when Redis does not know it (e.g. after a restart), and stays up', async () => {
    const { connection, link, errors } = setUp();
    connection.evalsha.mockRejectedValueOnce(new Error('NOSCRIPT No matching script. Please use EVAL.'));
    expect(await link.run(RETURN_ONE, ['k'], [7])).toBe('eval-reply');
    expect(connection.eval).toHaveBeenCalledWith('return 1', 1, 'k', 7);
    expect(link.up).toBe(true);
    expect(errors).toEqual([]);
  });

  it('answers DOWN on a failed command, reports it once per outage and calls Redis no more while down', async () => {
    const { connection, link, errors, changes } = setUp();
    connection.evalsha.mockRejectedValueOnce(new Error('ERR out of memory'));
    expect(await link.run(RETURN_ONE, [], [])).toBe(DOWN);
    expect(link.up).toBe(false);
    expect(changes).toEqual([false]);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toBe(
      'Redis store: ERR out of memory; using per-process limits and duplicate checks until Redis answers again',
    );
    expect((errors[0]?.cause as Error | undefined)?.message).toBe('ERR out of memory');
    expect(await link.run(RETURN_ONE, [], [])).toBe(DOWN);
    link.down(new Error('the pub/sub connection closed'));
    expect(connection.evalsha).toHaveBeenCalledTimes(1);
    expect(errors).toHaveLength(1);
    expect(changes).toEqual([false]);
    link.close();
  });

  it('also counts a failure of the whole script as Redis being down', async () => {
    const { connection, link, errors } = setUp();
    connection.evalsha.mockRejectedValueOnce(new Error('NOSCRIPT No matching script.'));
    connection.eval.mockRejectedValueOnce(new Error('READONLY You can’t write against a read only replica.'));
    expect(await link.run(RETURN_ONE, [], [])).toBe(DOWN);
    expect(errors[0]?.message).toMatch(/^Redis store: READONLY/);
    link.close();
  });

  it('reports a command rejected with no error at all', async () => {
    const { connection, link, errors } = setUp();
    connection.evalsha.mockRejectedValueOnce(null);
    expect(await link.run(RETURN_ONE, [], [])).toBe(DOWN);
    expect(errors[0]?.message).toMatch(/^Redis store: null; /);
    link.close();
  });

  it('leaves no timer behind once a command answered', async () => {
    const { link } = setUp();
    await link.run(RETURN_ONE, [], []);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('counts a command slower than commandTimeoutMs as Redis being down', async () => {
    const { connection, link, errors } = setUp();
    connection.evalsha.mockImplementationOnce(never);
    let reply: unknown;
    void link.run(RETURN_ONE, [], []).then((r) => {
      reply = r;
    });
    await vi.advanceTimersByTimeAsync(199);
    expect(reply).toBeUndefined();
    expect(link.up).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(reply).toBe(DOWN);
    expect(errors.map((e) => e.message)).toEqual([
      'Redis store: a command took more than 200 ms; using per-process limits and duplicate checks until Redis answers again',
    ]);
    link.close();
  });

  it('names what was thrown when it is not an Error', () => {
    const { link, errors } = setUp();
    link.down('socket hang up');
    expect(errors[0]?.message).toMatch(/^Redis store: socket hang up; /);
    link.close();
  });

  it('keeps a throwing onError from breaking a call', async () => {
    const connection = fakeConnection();
    connection.evalsha.mockRejectedValueOnce(new Error('ERR boom'));
    const link = new Link(connection as unknown as RedisConnection, {
      commandTimeoutMs: 200,
      onError: () => {
        throw new Error('the seller’s logger failed');
      },
    });
    const changes: boolean[] = [];
    link.onChange((up) => changes.push(up));
    expect(await link.run(RETURN_ONE, [], [])).toBe(DOWN);
    expect(changes).toEqual([false]); // the listeners still learn of it
    link.close();
  });

  it('waits for a connection being made, up to commandTimeoutMs, before running', async () => {
    const { connection, link, errors } = setUp('connecting');
    expect(link.up).toBe(false);
    const reply = link.run(RETURN_ONE, [], []);
    await vi.advanceTimersByTimeAsync(150);
    expect(connection.evalsha).not.toHaveBeenCalled();
    connection.status = 'ready';
    connection.emit('ready');
    expect(await reply).toBe('evalsha-reply');
    expect(link.up).toBe(true);
    expect(errors).toEqual([]);
  });

  it('reports a Redis not reachable at start once, then answers DOWN at once', async () => {
    const { connection, link, errors, changes } = setUp('connecting');
    const first = link.run(RETURN_ONE, [], []);
    await vi.advanceTimersByTimeAsync(200);
    expect(await first).toBe(DOWN);
    expect(errors.map((e) => e.message)).toEqual([
      'Redis store: not reachable within 200 ms at start; using per-process limits and duplicate checks until Redis answers again',
    ]);
    expect(changes).toEqual([false]);
    expect(await link.run(RETURN_ONE, [], [])).toBe(DOWN);
    expect(connection.evalsha).not.toHaveBeenCalled();
    link.close();
  });

  it('returns to shared mode when Redis answers a probe again, and reports the next outage anew', async () => {
    const { connection, link, errors, changes } = setUp();
    link.down(new Error('first outage'));
    connection.status = 'reconnecting';
    await vi.advanceTimersByTimeAsync(1_000);
    expect(connection.ping).not.toHaveBeenCalled(); // no connection: nothing to ask
    connection.ping.mockRejectedValueOnce(new Error('LOADING Redis is loading the dataset in memory'));
    connection.status = 'ready';
    await vi.advanceTimersByTimeAsync(250);
    expect(connection.ping).toHaveBeenCalledTimes(1);
    expect(link.up).toBe(false);
    expect(changes).toEqual([false]);
    await vi.advanceTimersByTimeAsync(250);
    expect(link.up).toBe(true);
    expect(changes).toEqual([false, true]);
    expect(await link.run(RETURN_ONE, [], [])).toBe('evalsha-reply');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(connection.ping).toHaveBeenCalledTimes(2); // the probe stopped once Redis answered
    link.down(new Error('second outage'));
    expect(errors.map((e) => (e.cause as Error).message)).toEqual(['first outage', 'second outage']);
    link.close();
  });

  it('does not flood a down Redis with probes', async () => {
    const { connection, link } = setUp();
    connection.ping.mockImplementation(never);
    link.down(new Error('down'));
    await vi.advanceTimersByTimeAsync(240);
    expect(connection.ping).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(connection.ping.mock.calls.length).toBeLessThanOrEqual(4);
    link.close();
  });

  it('probes as often as probeMs says', async () => {
    const { connection, link } = setUp('ready', 50);
    connection.ping.mockRejectedValue(new Error('down'));
    link.down(new Error('down'));
    await vi.advanceTimersByTimeAsync(200);
    expect(connection.ping).toHaveBeenCalledTimes(4);
    link.close();
  });

  it('stays down when a probe that answers comes after close(), and stops probing', async () => {
    const { connection, link, changes } = setUp();
    let answer: (value: string) => void = () => {};
    connection.ping.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)));
    link.down(new Error('down'));
    await vi.advanceTimersByTimeAsync(250);
    link.close();
    answer('PONG');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(changes).toEqual([false]);
    expect(link.up).toBe(false);
    expect(connection.ping).toHaveBeenCalledTimes(1);
  });

  it('is down once closed: runs nothing, reports nothing', async () => {
    const { connection, link, errors, changes } = setUp();
    link.close();
    expect(link.up).toBe(false);
    expect(await link.run(RETURN_ONE, [], [])).toBe(DOWN);
    link.down(new Error('late failure'));
    expect(connection.evalsha).not.toHaveBeenCalled();
    expect(errors).toEqual([]);
    expect(changes).toEqual([]);
  });
});
