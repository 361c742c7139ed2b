// Reading the kit's specs (a missing or broken file names itself) and following their local $refs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec, locate, readSpecFile } from './spec-files.ts';

describe('loadSpec and readSpecFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spec-files-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return pathToFileURL(join(dir, name));
  };
  const missing = pathToFileURL(join(dir, 'missing.yaml'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a spec once: later calls get the same document', () => {
    const spec = loadSpec('notifications');
    expect(spec.openapi).toMatch(/^3\.0\./);
    expect(loadSpec('notifications')).toBe(spec);
  });

  it('takes the first candidate that exists', () => {
    const first = file('first.yaml', 'openapi: 3.0.3\ninfo: { title: first }\n');
    const second = file('second.yaml', 'openapi: 3.0.3\ninfo: { title: second }\n');
    expect(readSpecFile('x.yaml', [missing, first, second])).toEqual({
      openapi: '3.0.3',
      info: { title: 'first' },
    });
  });

  it('names every place it looked when none exists', () => {
    const other = pathToFileURL(join(dir, 'other', 'x.yaml'));
    expect(() => readSpecFile('x.yaml', [missing, other])).toThrow(
      `the test kit cannot find x.yaml next to it (looked in ${missing.href}, ${other.href})`,
    );
  });

  it('names the file that is no OpenAPI document or no YAML', () => {
    const text = file('text.yaml', 'just words\n');
    expect(() => readSpecFile('x.yaml', [text])).toThrow(`${text.pathname}: not an OpenAPI document`);
    const list = file('list.yaml', '- a\n- b\n');
    expect(() => readSpecFile('x.yaml', [list])).toThrow(`${list.pathname}: not an OpenAPI document`);
    const broken = file('broken.yaml', 'openapi: [3.0.3\n');
    expect(() => readSpecFile('x.yaml', [broken])).toThrow(`${broken.pathname}: not valid YAML: `);
  });
});

describe('locate', () => {
  const root = {
    components: {
      schemas: {
        Chat: { type: 'object' },
        Alias: { $ref: '#/components/schemas/Chat' },
        'a/b~c d': { type: 'string' },
        Loop: { $ref: '#/components/schemas/Back' },
        Back: { $ref: '#/components/schemas/Loop' },
      },
    },
  };

  it('gives back a node without $ref, at its own path', () => {
    const node = { type: 'integer' };
    expect(locate(node, ['paths', 'x'], root)).toEqual({ node, path: ['paths', 'x'] });
    expect(locate(undefined, ['y'], root)).toEqual({ node: undefined, path: ['y'] });
  });

  it('follows a chain of $refs to the target and its path', () => {
    expect(locate({ $ref: '#/components/schemas/Alias' }, ['paths', 'x'], root)).toEqual({
      node: { type: 'object' },
      path: ['components', 'schemas', 'Chat'],
    });
  });

  it('decodes ~1, ~0 and %-escapes in a $ref', () => {
    expect(locate({ $ref: '#/components/schemas/a~1b~0c%20d' }, [], root)).toEqual({
      node: { type: 'string' },
      path: ['components', 'schemas', 'a/b~c d'],
    });
  });

  it('refuses a $ref outside the spec, one that points at nothing, and a cycle, naming the $ref', () => {
    expect(() => locate({ $ref: 'other.yaml#/Chat' }, [], root)).toThrow(
      'cannot follow $ref other.yaml#/Chat: only #/... inside the spec',
    );
    expect(() => locate({ $ref: '#/components/schemas/Nope' }, [], root)).toThrow(
      'unresolvable $ref #/components/schemas/Nope',
    );
    expect(() => locate({ $ref: '#/components/Chat/type/x' }, [], root)).toThrow(
      'unresolvable $ref #/components/Chat/type/x',
    );
    expect(() => locate({ $ref: '#/components/schemas/Loop' }, [], root)).toThrow(
      '$ref #/components/schemas/Loop is part of a cycle',
    );
  });
});
