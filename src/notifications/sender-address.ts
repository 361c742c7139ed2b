// Yandex signs nothing; what it does publish is the networks it sends notifications from. This checks the
// sender's IPv4 address against such a list, taking it from the socket or from a trusted proxy's header.
import { ValidationError } from '../errors/validation-error.ts';

/** The networks Yandex Market sends notifications from, as its documentation lists them. */
export const YANDEX_NOTIFICATION_NETWORKS: readonly string[] = Object.freeze([
  '5.45.207.0/25',
  '141.8.142.0/25',
  '5.255.253.0/25',
]);

export interface SenderCheckOptions {
  /** IPv4 networks in CIDR notation (`a.b.c.d/n`); default YANDEX_NOTIFICATION_NETWORKS. Replaces, not adds. */
  networks?: readonly string[];
  /**
   * Take the sender from a header a reverse proxy in front of the handler sets, e.g.
   * `{ header: 'x-forwarded-for', hops: 1 }`: the address `hops` entries from the right of the
   * comma-separated list, i.e. the one your outermost trusted proxy saw. Without it the socket's
   * address is the sender. Only use it when the handler cannot be reached except through the proxies.
   */
  trustedProxy?: { header: string; hops: number };
}

export type SenderVerdict = { allowed: true; address: string } | { allowed: false; reason: string };

interface Network {
  /** The first address of the network. */
  base: number;
  /** How many addresses it holds: 2^(32 - prefix). */
  size: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
// `::ffff:a.b.c.d` and its long form `0:0:0:0:0:ffff:a.b.c.d`: an IPv4 client on a dual-stack socket.
const IPV4_MAPPED = /^(?:::|(?:0{1,4}:){5})ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** The address as a 32-bit unsigned number, or undefined when it is not IPv4 (mapped IPv6 counts as IPv4). */
export function parseIpv4(address: string): number | undefined {
  const text = address.trim().replace(IPV4_MAPPED, '$1');
  const octets = IPV4.exec(text)?.slice(1).map(Number);
  if (octets === undefined || octets.some((octet) => octet > 255)) return undefined;
  return octets.reduce((value, octet) => value * 256 + octet, 0);
}

function parseNetwork(cidr: string, field: string): Network {
  // Stryker disable next-line StringLiteral: split always yields an address, and a missing prefix fails the digits test whatever the default
  const [address = '', bits = '', ...rest] = String(cidr).split('/');
  const base = parseIpv4(address);
  const prefix = /^\d{1,2}$/.test(bits) ? Number(bits) : -1;
  if (base === undefined || prefix < 0 || prefix > 32 || rest.length > 0 || address.includes(':')) {
    throw new ValidationError(
      field,
      `must be an IPv4 network such as 5.45.207.0/25, got ${JSON.stringify(cidr)}`,
    );
  }
  // Plain arithmetic instead of bit masks: JavaScript's bitwise operators are signed 32-bit.
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), size };
}

const inNetwork = (address: number, { base, size }: Network): boolean =>
  address >= base && address < base + size;

/** Where the sender's address comes from: the socket, or the trusted proxy's header. */
function senderAddress(
  options: SenderCheckOptions,
  remoteAddress: string | undefined,
  headers: Headers,
): SenderVerdict {
  const proxy = options.trustedProxy;
  if (proxy === undefined) {
    return remoteAddress === undefined
      ? { allowed: false, reason: 'the sender address is unknown' }
      : { allowed: true, address: remoteAddress };
  }
  const list = (headers.get(proxy.header) ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const address = list[list.length - proxy.hops];
  return address === undefined
    ? {
        allowed: false,
        reason: `${proxy.header} holds ${list.length} addresses, fewer than ${proxy.hops} hops`,
      }
    : { allowed: true, address };
}

/** A check of the sender against `networks`; throws a ValidationError for a malformed option. */
export function createSenderCheck(
  options: SenderCheckOptions = {},
): (remoteAddress: string | undefined, headers: Headers) => SenderVerdict {
  const networks = (options.networks ?? YANDEX_NOTIFICATION_NETWORKS).map((cidr, i) =>
    parseNetwork(cidr, `senderCheck.networks[${i}]`),
  );
  const proxy = options.trustedProxy;
  if (proxy !== undefined) {
    if (typeof proxy.header !== 'string' || !/^[!#$%&'*+.^`|~\w-]+$/.test(proxy.header)) {
      throw new ValidationError(
        'senderCheck.trustedProxy.header',
        `must be a header name, got ${JSON.stringify(proxy.header)}`,
      );
    }
    if (!Number.isSafeInteger(proxy.hops) || proxy.hops < 1) {
      throw new ValidationError(
        'senderCheck.trustedProxy.hops',
        `must be an integer >= 1, got ${String(proxy.hops)}`,
      );
    }
  }
  return (remoteAddress, headers) => {
    const sender = senderAddress(options, remoteAddress, headers);
    if (!sender.allowed) return sender;
    const address = parseIpv4(sender.address);
    return address !== undefined && networks.some((network) => inNetwork(address, network))
      ? sender
      : { allowed: false, reason: `sender ${sender.address} is not in the allowed networks` };
  };
}
