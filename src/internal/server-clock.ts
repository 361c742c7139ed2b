/**
 * Where the server's clock stands against ours, learnt from `Date` headers. A `Date` has one-second
 * resolution: the server stamped it somewhere between our send and our receipt, and truncated it. Each
 * response therefore bounds the offset (server = local + offset) to an interval; the intervals of many
 * responses narrow it. The offset used is the one in the interval nearest to 0, so clocks in sync read
 * headers exactly, instead of every wait being up to a second too long.
 */
export class ServerClock {
  #low = Number.NEGATIVE_INFINITY;
  #high = Number.POSITIVE_INFINITY;

  /** One response: its `Date` (ms), and when we sent the request and received the answer (ours, ms). */
  observe(serverDate: number, sentAt: number, receivedAt: number): void {
    const low = serverDate - receivedAt;
    const high = serverDate + 1000 - sentAt;
    if (low > this.#high || high < this.#low) {
      // Disjoint from what we knew: a clock was set meanwhile. Start over from this response.
      this.#low = low;
      this.#high = high;
      return;
    }
    this.#low = Math.max(this.#low, low);
    this.#high = Math.min(this.#high, high);
  }

  /** Milliseconds to add to our clock to get the server's. */
  get offsetMs(): number {
    if (this.#low <= 0 && 0 <= this.#high) return 0;
    return (this.#low + this.#high) / 2;
  }

  /** A time in the server's clock (e.g. `X-RateLimit-Resource-Until`), in ours. */
  toLocal(serverTime: number): number {
    return serverTime - this.offsetMs;
  }
}
