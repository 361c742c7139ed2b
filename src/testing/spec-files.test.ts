// Reading the kit's specs (a missing or broken file names itself), following their local $refs, and
// validating values against their schemas with Ajv (strict: a typo in a schema is an error).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSpec, locate, readSpecFile } from './spec-files.ts';
import { isObject, pointer, specValidator } from './spec-validator.ts';

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

describe('specValidator', () => {
  const spec = {
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    'x-top': true,
    components: {
      schemas: {
        Name: { type: 'string', minLength: 2, example: 'ab', xml: { name: 'n' }, externalDocs: { url: 'u' } },
        'a/b~c': {
          type: 'object',
          'x-internal': true,
          required: ['id'],
          properties: {
            id: { type: 'integer', format: 'int64', nullable: true },
            name: { allOf: [{ $ref: '#/components/schemas/Name', 'x-nested': 1 }] },
          },
        },
        Typo: { type: 'string', maxLenght: 3 },
      },
    },
  };
  const errorsAt = specValidator(spec);

  it('checks a value against the schema at a path; OpenAPI and x- keywords are allowed', () => {
    expect(errorsAt(['components', 'schemas', 'Name'], 'ab')).toEqual([]);
    expect(errorsAt(['components', 'schemas', 'Name'], 'a')).toEqual([
      '(root) must NOT have fewer than 2 characters',
    ]);
    const at = ['components', 'schemas', 'a/b~c'];
    expect(errorsAt(at, { id: null, name: 'ab' })).toEqual([]);
    expect(errorsAt(at, { id: 1.5, name: 1 })).toEqual([
      '/id must be integer',
      '/id must match format "int64"',
      '/name must be string',
    ]);
    expect(errorsAt(at, {})).toEqual(["(root) must have required property 'id'"]);
  });

  it('refuses a schema with an unknown keyword, and a path with no schema', () => {
    expect(() => errorsAt(['components', 'schemas', 'Typo'], 'x')).toThrow(/unknown keyword: "maxLenght"/);
    expect(() => errorsAt(['components', 'schemas', 'Nope'], 'x')).toThrow(
      'the spec has no schema at components/schemas/Nope',
    );
  });

  it('writes JSON pointers with ~0, ~1 and %-escapes', () => {
    expect(pointer(['paths', '/v2/{id}', 'a~b c'])).toBe('paths/~1v2~1%7Bid%7D/a~0b%20c');
  });

  it('takes only plain objects for objects', () => {
    expect([{}, { a: 1 }].map(isObject)).toEqual([true, true]);
    expect([null, undefined, [], 'x', 1].map(isObject)).toEqual([false, false, false, false, false]);
  });
});
