// The store's use of one Redis connection: Lua scripts by their SHA (sent whole once, when Redis does not
// know them yet, e.g. after a restart), each command bounded by `commandTimeoutMs`, and whether Redis is
// usable. A failed or slow command marks Redis down: callers then get DOWN at once (they fall back to
// per-process state), `onError` hears of it once per outage, and a probe finds when Redis answers again.
import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

export type RedisConnection = Redis | Cluster;

/** What a command answers while Redis cannot be used. */
export const DOWN: unique symbol = Symbol('redis down');

export interface Script {
  source: string;
  sha: string;
}

export function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

export interface LinkOptions {
  commandTimeoutMs: number;
  onError: (error: Error) => void;
  /** How often a down link asks Redis whether it answers again. */
  probeMs?: number;
}

export class Link {
  readonly #client: RedisConnection;
  readonly #options: LinkOptions;
  readonly #listeners = new Set<(up: boolean) => void>();
  #up = false;
  #closed = false;
  #starting: Promise<void> | undefined;
  #probe: NodeJS.Timeout | undefined;

  constructor(client: RedisConnection, options: LinkOptions) {
    this.#client = client;
    this.#options = options;
    if (client.status === 'ready') this.#up = true;
    else this.#starting = this.#start();
  }

  get up(): boolean {
    return this.#up && !this.#closed;
  }

  /** `listener(false)` when Redis goes down, `listener(true)` when it answers again. */
  onChange(listener: (up: boolean) => void): void {
    this.#listeners.add(listener);
  }

  /** Runs a script; DOWN (at once while Redis is down) instead of throwing. */
  async run(what: Script, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    if (this.#starting !== undefined) await this.#starting;
    if (!this.up) return DOWN;
    try {
      return await this.#bounded(this.#eval(what, keys, args));
    } catch (error) {
      this.down(error);
      return DOWN;
    }
  }

  /** Redis failed (or something on it, e.g. the subscriber connection): per-process until it answers. */
  down(cause: unknown): void {
    if (this.#closed || !this.#up) return;
    this.#up = false;
    const reason = cause instanceof Error ? cause.message : String(cause);
    try {
      this.#options.onError(
        new Error(
          `Redis store: ${reason}; using per-process limits and duplicate checks until Redis answers again`,
          { cause },
        ),
      );
    } catch {
      // A throwing onError must not break a call.
    }
    for (const listener of this.#listeners) listener(false);
    this.#startProbe();
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#probe);
  }

  async #start(): Promise<void> {
    // The connection is being made: wait for it a little before calling Redis unreachable.
    const ready = await this.#bounded(
      new Promise<boolean>((resolve) => {
        this.#client.once('ready', () => resolve(true));
      }),
    ).catch(() => false);
    this.#starting = undefined;
    if (ready) {
      this.#up = true;
      return;
    }
    this.#up = true; // so that down() reports it
    this.down(new Error(`not reachable within ${this.#options.commandTimeoutMs} ms at start`));
  }

  async #eval(what: Script, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await this.#client.evalsha(what.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return await this.#client.eval(what.source, keys.length, ...keys, ...args);
    }
  }

  #bounded<T>(work: Promise<T>): Promise<T> {
    const { commandTimeoutMs } = this.#options;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`a command took more than ${commandTimeoutMs} ms`)),
        commandTimeoutMs,
      );
      timer.unref();
    });
    work.catch(() => {}); // a late failure of a command given up on is not an unhandled rejection
    return Promise.race([work, late]).finally(() => clearTimeout(timer));
  }

  #startProbe(): void {
    clearInterval(this.#probe);
    this.#probe = setInterval(() => void this.#ask(), this.#options.probeMs ?? 250);
    this.#probe.unref();
  }

  async #ask(): Promise<void> {
    if (this.#closed || this.#client.status !== 'ready') return;
    try {
      await this.#bounded(this.#client.ping());
    } catch {
      return;
    }
    if (this.#up || this.#closed) return;
    clearInterval(this.#probe);
    this.#up = true;
    for (const listener of this.#listeners) listener(true);
  }
}
