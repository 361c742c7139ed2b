// How busy a business's other clients are, read from the quota counter that all of them share. Each
// admitted call takes one from `X-RateLimit-Resource-Remaining`, and a response says the value as of its
// own admission: between two of our own values, every missing one is a call somebody else made. The
// gate uses it to take back slots that others stopped using, without waiting to be sure by the clock.

/** Our own recent Remaining values of one operation (each has its own counter). */
interface Counter {
  /** The window's `Until` (ms), when the answers say it: a new one starts the count over. */
  window: number | undefined;
  values: number[];
}

const KEPT = 8;

/** One business's operations. The gate keeps one while the business's limit is lowered. */
export class PeerTraffic {
  readonly #counters = new Map<string, Counter>();

  /** An answer to a call of ours said `remaining`, in the window that ends at `window` if it said so. */
  observe(operation: string, remaining: number, window: number | undefined): void {
    const counter = this.#counters.get(operation);
    // Without Until, only a value above all kept tells a new window (each admission takes one); a
    // lower first value of a new window then reads as a crowd, which only delays a step up.
    const newWindow =
      counter === undefined ||
      (window === undefined ? remaining > Math.max(...counter.values) : window !== counter.window);
    if (newWindow) {
      this.#counters.set(operation, { window, values: [remaining] });
      return;
    }
    counter.values.push(remaining);
    if (counter.values.length > KEPT) counter.values.shift();
  }

  /**
   * Calls others made per call of ours, over our last `gaps + 1` values (in any order: answers overtake
   * each other); undefined until there are that many. With the same work per call, it is also their share
   * of the slots over ours.
   */
  othersPerOwn(operation: string, gaps: number): number | undefined {
    const values = this.#counters.get(operation)?.values;
    if (values === undefined || values.length <= gaps) return undefined;
    const recent = values.slice(-(gaps + 1));
    const span = Math.max(...recent) - Math.min(...recent) + 1; // every call admitted from first to last
    return Math.max(0, span - recent.length) / gaps; // a value said twice (a repeated header) is no call
  }
}
