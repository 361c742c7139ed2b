// onCallEnd through the public client (issue 18): the hook is accepted, and input the client refuses
// starts no call. Each page of an iterator is a call: see client.iterate.test.ts.
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, type Reply } from '../test-support/fake-api.ts';
import { type CallEndEvent, createMarketClient, ValidationError } from './index.ts';

function clientOf(script: Reply[]) {
  const api = fakeApi(...script);
  const onCallEnd = vi.fn<(event: CallEndEvent) => void>();
  const market = createMarketClient({
    apiKey: 'k',
    baseUrl: 'https://api.example.test',
    fetch: api.fetch,
    hooks: { onCallEnd },
  });
  return { market, sent: api.sent, onCallEnd };
}

describe('onCallEnd through the client', () => {
  it('input the client refuses starts no call: a ValidationError, nothing sent, no onCallEnd', async () => {
    const { market, sent, onCallEnd } = clientOf([]);
    await expect(market.getChat({ businessId: 0, chatId: 1 })).rejects.toThrow(ValidationError);
    await expect(market.getChat({ businessId: 1, chatId: 1 }, { timeoutMs: -1 })).rejects.toThrow(
      ValidationError,
    );
    expect(sent).toHaveLength(0);
    expect(onCallEnd).not.toHaveBeenCalled();
  });

  it('an onCallEnd that is not a function is refused when the client is created', () => {
    expect(() =>
      createMarketClient({ apiKey: 'k', hooks: { onCallEnd: 'log' as unknown as () => void } }),
    ).toThrow(/hooks\.onCallEnd/);
  });
});
