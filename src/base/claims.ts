// The claim/lease duplicate store's contract: implemented by the notifications' memory store and by the
// Redis store (./redis), which must not import each other (docs/design.md).

/** What a claim found: nobody handled the key yet and the claim is now yours ('new'); a live claim of
 *  another run holds it ('running'); its callback already succeeded ('done'). */
export type ClaimState = 'new' | 'running' | 'done';

/** A duplicate store whose unit is a claim with a lease (atomic where the store is shared). */
export interface ClaimingDuplicateStore {
  /** Atomically: 'done' if `key` was committed; 'running' if an unexpired claim of another owner holds it;
   *  otherwise takes a claim for `owner` lasting `ttlMs` and answers 'new'. */
  claim(key: string, ttlMs: number, owner: string): ClaimState | Promise<ClaimState>;
  /** The owner's callback succeeded: the key is done (kept for the store's retention, e.g. duplicateTtlMs).
   *  Commits even when the claim has lapsed or another owner holds it now (a late success still counts). */
  commit(key: string, owner: string): void | Promise<void>;
  /** The owner's callback failed: drops the claim if `owner` still holds it (never another owner's claim,
   *  never a done key), so a redelivery runs the callback again. */
  release(key: string, owner: string): void | Promise<void>;
}
