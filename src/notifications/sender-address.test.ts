import { describe, expect, it } from 'vitest';
import { createSenderCheck, parseIpv4, YANDEX_NOTIFICATION_NETWORKS } from './sender-address.ts';

const none = new Headers();

describe('parseIpv4', () => {
  it.each([
    ['5.45.207.1', 0x052dcf01],
    ['::ffff:5.45.207.1', 0x052dcf01],
    ['::FFFF:5.45.207.1', 0x052dcf01],
    ['0000:0000:0000:0000:0000:ffff:5.45.207.1', 0x052dcf01],
    ['0:0:0:0:0:ffff:5.45.207.1', 0x052dcf01],
    ['255.255.255.255', 2 ** 32 - 1],
  ])('%s is %i', (address, value) => expect(parseIpv4(address)).toBe(value));

  it('trims spaces around the address', () => expect(parseIpv4(' 5.45.207.1 ')).toBe(0x052dcf01));

  it.each([
    '256.1.1.1',
    '1.2.3',
    '::1',
    '2a02:6b8::1',
    '::ffff:1.2.3',
    '1.2.3.4.5',
    '',
    '1::ffff:2.3.4.5', // not a mapped address: the prefix must be exactly `::` or five zero groups
    '0:0:0:0:ffff:5.45.207.1', // four zero groups
  ])('%s is not IPv4', (address) => expect(parseIpv4(address)).toBeUndefined());
});

describe('createSenderCheck', () => {
  const yandex = createSenderCheck();

  it("accepts Yandex's three /25 networks, edges included, and nothing around them", () => {
    expect(YANDEX_NOTIFICATION_NETWORKS).toEqual(['5.45.207.0/25', '141.8.142.0/25', '5.255.253.0/25']);
    for (const address of [
      '5.45.207.0',
      '5.45.207.127',
      '141.8.142.64',
      '5.255.253.1',
      '::ffff:5.255.253.127',
    ]) {
      expect(yandex(address, none)).toEqual({ allowed: true, address });
    }
    for (const address of [
      '5.45.207.128',
      '5.45.206.255',
      '141.8.143.0',
      '127.0.0.1',
      '::1',
      '2a02:6b8::1',
    ]) {
      expect(yandex(address, none)).toEqual({
        allowed: false,
        reason: `sender ${address} is not in the allowed networks`,
      });
    }
    expect(yandex(undefined, none)).toEqual({ allowed: false, reason: 'the sender address is unknown' });
  });

  it('uses a replaced list instead of the default one', () => {
    const local = createSenderCheck({ networks: ['127.0.0.0/8', '10.1.2.3/32'] });
    expect(local('127.9.9.9', none).allowed).toBe(true);
    expect(local('10.1.2.3', none).allowed).toBe(true);
    expect(local('10.1.2.4', none).allowed).toBe(false);
    expect(local('5.45.207.1', none).allowed).toBe(false);
    expect(createSenderCheck({ networks: ['0.0.0.0/0'] })('8.8.8.8', none).allowed).toBe(true);
  });

  it('takes the sender `hops` entries from the right of a trusted proxy header, ignoring the socket', () => {
    const oneProxy = createSenderCheck({ trustedProxy: { header: 'x-forwarded-for', hops: 1 } });
    const spoofed = new Headers({ 'x-forwarded-for': '5.45.207.1, 203.0.113.7' });
    expect(oneProxy('10.0.0.2', spoofed)).toEqual({
      allowed: false,
      reason: 'sender 203.0.113.7 is not in the allowed networks',
    });
    const twoProxies = createSenderCheck({ trustedProxy: { header: 'X-Forwarded-For', hops: 2 } });
    expect(
      twoProxies('10.0.0.2', new Headers({ 'x-forwarded-for': '1.1.1.1, 5.45.207.9, 10.0.0.9' })),
    ).toEqual({
      allowed: true,
      address: '5.45.207.9',
    });
    expect(twoProxies('5.45.207.1', new Headers({ 'x-forwarded-for': '10.0.0.9' }))).toEqual({
      allowed: false,
      reason: 'X-Forwarded-For holds 1 addresses, fewer than 2 hops',
    });
  });

  it.each([
    [{ networks: ['5.45.207.0'] }, 'senderCheck.networks[0]'],
    [{ networks: ['5.45.207.0/25', '2a02:6b8::/32'] }, 'senderCheck.networks[1]'],
    [{ trustedProxy: { header: 'bad header', hops: 1 } }, 'senderCheck.trustedProxy.header'],
    [{ trustedProxy: { header: 'x-real-ip', hops: 0 } }, 'senderCheck.trustedProxy.hops'],
    [{ trustedProxy: { header: 123 as never, hops: 1 } }, 'senderCheck.trustedProxy.header'],
    [{ networks: ['10.0.0.0/'] }, 'senderCheck.networks[0]'],
    [{ networks: ['10.0.0.0/8x'] }, 'senderCheck.networks[0]'],
    [{ networks: ['10.0.0.0/x8'] }, 'senderCheck.networks[0]'],
    [{ networks: ['10.0.0.0/8/8'] }, 'senderCheck.networks[0]'],
    [{ networks: ['::ffff:10.0.0.0/8'] }, 'senderCheck.networks[0]'],
  ])('refuses %o naming %s', (options, field) => {
    expect(() => createSenderCheck(options)).toThrow(expect.objectContaining({ field }) as Error);
  });

  it('says what is wrong with an option', () => {
    expect(() => createSenderCheck({ networks: ['10.0.0.0/33'] })).toThrow(
      'senderCheck.networks[0] must be an IPv4 network such as 5.45.207.0/25, got "10.0.0.0/33"',
    );
    expect(() => createSenderCheck({ trustedProxy: { header: 'a b', hops: 1 } })).toThrow(
      'senderCheck.trustedProxy.header must be a header name, got "a b"',
    );
    expect(() => createSenderCheck({ trustedProxy: { header: 'x-real-ip', hops: 1.5 } })).toThrow(
      'senderCheck.trustedProxy.hops must be an integer >= 1, got 1.5',
    );
  });

  it('a network written with host bits set still starts at its first address', () => {
    const check = createSenderCheck({ networks: ['10.0.0.5/24'] });
    expect(check('10.0.0.1', none).allowed).toBe(true);
    expect(check('10.0.0.255', none).allowed).toBe(true);
    expect(check('10.0.1.0', none).allowed).toBe(false);
  });

  it('a proxy header: empty entries are skipped, spaces trimmed; a missing header holds 0 addresses', () => {
    const check = createSenderCheck({ trustedProxy: { header: 'x-forwarded-for', hops: 1 } });
    expect(check(undefined, new Headers({ 'x-forwarded-for': '203.0.113.7,  5.45.207.9 , ' }))).toEqual({
      allowed: true,
      address: '5.45.207.9',
    });
    expect(check('5.45.207.1', none)).toEqual({
      allowed: false,
      reason: 'x-forwarded-for holds 0 addresses, fewer than 1 hops',
    });
  });

  it('without a proxy, an unknown socket address is refused', () => {
    expect(createSenderCheck()(undefined, none)).toEqual({
      allowed: false,
      reason: 'the sender address is unknown',
    });
  });
});
