// JSON text of a parsed JSON value without recursion: V8's JSON.stringify overflows its stack at a few
// thousand levels, and a notification of an unknown type may nest that deep and still be valid.

type Frame = { kind: 'text'; text: string } | { kind: 'value'; value: unknown };

/** The JSON text of `value`, object keys sorted when `sortKeys` (one text per content, whatever the order). */
export function jsonText(value: unknown, sortKeys: boolean): string {
  const parts: string[] = [];
  const stack: Frame[] = [{ kind: 'value', value }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    if (frame.kind === 'text') {
      parts.push(frame.text);
      continue;
    }
    const item = frame.value;
    if (typeof item !== 'object' || item === null) {
      parts.push(JSON.stringify(item) ?? 'null');
      continue;
    }
    // Pushed in reverse: the stack pops the first member first.
    const members: Frame[] = [];
    if (Array.isArray(item)) {
      item.forEach((element, index) => {
        if (index > 0) members.push({ kind: 'text', text: ',' });
        members.push({ kind: 'value', value: element });
      });
      stack.push({ kind: 'text', text: ']' }, ...members.reverse());
      parts.push('[');
      continue;
    }
    const entries = Object.entries(item);
    if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    entries.forEach(([key, member], index) => {
      members.push({ kind: 'text', text: `${index > 0 ? ',' : ''}${JSON.stringify(key)}:` });
      members.push({ kind: 'value', value: member });
    });
    stack.push({ kind: 'text', text: '}' }, ...members.reverse());
    parts.push('{');
  }
  return parts.join('');
}

/**
 * A 128-bit non-cryptographic hash of `text` as 32 hex digits: four 32-bit multiply-xorshift lanes over
 * UTF-16 code units (bryc's public-domain cyrb128). Synchronous and runtime-neutral, unlike node:crypto or
 * WebCrypto's async digest; 128 bits make an accidental collision of two events' keys negligible.
 */
export function hash128(text: string): string {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i += 1) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1, h2, h3, h4].map((lane) => (lane >>> 0).toString(16).padStart(8, '0')).join('');
}
