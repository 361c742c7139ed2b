import { UnexpectedResponseError } from '../errors/unexpected-response-error.ts';
import type { CallSettings } from './engine.ts';
import type { Redactor } from './redact.ts';

/** Every item of a paged list, page after page; `for await` it, `break` to stop (nothing more is sent). */
export interface PageIterator<Item> extends AsyncIterable<Item> {
  /**
   * The token of the page the last item came from (undefined while on the first page). To resume after a
   * crash, store it with your progress and pass it as `pageToken`: that page comes again, then the rest.
   */
  readonly pageToken: string | undefined;
}

/**
 * Follows `nextPageToken` until a page has none. Each page is one call with the call's `timeoutMs`,
 * `maxRetries` and `deadlineMs`: the time the caller spends on the items between pages counts against
 * none of them. The signal covers the whole iteration. A token seen before ends it with an
 * UnexpectedResponseError instead of looping forever; the token in its message goes through `redactor`,
 * as everything built from a response does (the server could echo the credential).
 */
export function paginate<Page extends { nextPageToken: string | undefined }, Item>(
  operation: string,
  call: CallSettings,
  firstToken: string | undefined,
  fetchPage: (pageToken: string | undefined, call: CallSettings) => Promise<Page>,
  itemsOf: (page: Page) => readonly Item[],
  redactor: Pick<Redactor, 'text'>,
): PageIterator<Item> {
  let current = firstToken;
  return {
    get pageToken() {
      return current;
    },
    async *[Symbol.asyncIterator]() {
      const seen = new Set<string>();
      let token = firstToken;
      for (;;) {
        const page = await fetchPage(token, call);
        current = token;
        yield* itemsOf(page);
        const next = page.nextPageToken;
        if (next === undefined) return;
        if (seen.has(next) || next === firstToken) {
          throw new UnexpectedResponseError(
            operation,
            `page token ${redactor.text(JSON.stringify(next))} came back a second time: the iteration stops instead of looping`,
            { status: 200, headers: new Headers() },
          );
        }
        seen.add(next);
        token = next;
      }
    },
  };
}
