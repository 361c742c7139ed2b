// The live-mode switches, read from the environment (no network: only the parsing of the variables).
import { describe, expect, it } from 'vitest';
import { readLiveConfig } from './live-config.ts';

const base = {
  MARKET_BASE_URL: 'https://api.partner.market.yandex.ru',
  MARKET_API_KEY: 'key',
  MARKET_BUSINESS_ID: '123456',
  MARKET_ORDER_ID: '5123456789',
};

describe('live config', () => {
  it('is off without MARKET_BASE_URL, whatever else is set', () => {
    expect(readLiveConfig({ MARKET_LIVE_WRITES: '1', MARKET_CHAT_ID: '5' })).toBeUndefined();
  });

  it('reads without writing by default; MARKET_CHAT_ID alone only picks the chat to read', () => {
    expect(readLiveConfig(base)).toMatchObject({ writes: false, chatId: undefined });
    expect(readLiveConfig({ ...base, MARKET_CHAT_ID: '987654321' })).toMatchObject({
      writes: false,
      chatId: 987654321,
    });
  });

  it('writes only with MARKET_LIVE_WRITES=1 and MARKET_CHAT_ID', () => {
    expect(readLiveConfig({ ...base, MARKET_LIVE_WRITES: '1', MARKET_CHAT_ID: '987654321' })).toMatchObject({
      writes: true,
      chatId: 987654321,
    });
    expect(() => readLiveConfig({ ...base, MARKET_LIVE_WRITES: '1' })).toThrow(
      /MARKET_LIVE_WRITES=1 needs MARKET_CHAT_ID/,
    );
  });

  it('any other value of MARKET_LIVE_WRITES is refused, not read as off or on', () => {
    for (const value of ['true', 'yes', '0']) {
      expect(() => readLiveConfig({ ...base, MARKET_LIVE_WRITES: value, MARKET_CHAT_ID: '1' })).toThrow(
        new RegExp(`MARKET_LIVE_WRITES must be 1 .* got "${value}"`),
      );
    }
  });
});
