import { describe, expect, it } from 'vitest';
import { hash128, jsonText } from './json-text.ts';

describe('jsonText', () => {
  it('writes what JSON.stringify writes, keys in their order unless sorted', () => {
    const value = { b: [1, 'two', null, { d: false, c: [] }], a: {}, s: 'q"\n' };
    expect(jsonText(value, false)).toBe(JSON.stringify(value));
    expect(jsonText(value, true)).toBe('{"a":{},"b":[1,"two",null,{"c":[],"d":false}],"s":"q\\"\\n"}');
    expect(jsonText([], false)).toBe('[]');
    expect(jsonText(7, true)).toBe('7');
  });

  it('has no recursion limit', () => {
    const levels = 50_000;
    const text = `${'{"a":['.repeat(levels)}1${']}'.repeat(levels)}`;
    expect(jsonText(JSON.parse(text), true)).toBe(text);
  });
});

describe('hash128', () => {
  it('gives 32 hex digits, the same for the same text, different for near texts', () => {
    expect(hash128('')).toMatch(/^[0-9a-f]{32}$/);
    expect(hash128('abc')).toBe(hash128('abc'));
    const hashes = new Set(Array.from({ length: 10_000 }, (_, i) => hash128(`{"n":${i}}`)));
    expect(hashes.size).toBe(10_000);
    expect(hash128('ab')).not.toBe(hash128('ba'));
  });
});
