// npm run bundle: one self-contained file with the same API as openapi/openapi.yaml.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bundleSpec } from './bundle.ts';
import { diffSpecFiles } from './lib/check-breaking.ts';
import { copySpec, type SpecCopy } from './lib/spec-copy.ts';

let copy: SpecCopy;
beforeEach(async () => {
  copy = await copySpec();
});
afterEach(() => copy.remove());

it('bundles the spec, and a schema kept in another file, into one file describing the same API', async () => {
  // Move a schema to a file of its own, as a growing spec would: the bundle must inline it.
  const status = 'type: string\ndescription: Whether the request succeeded.\nenum:\n  - OK\n  - ERROR\n';
  await writeFile(join(copy.dir, 'status.yaml'), status);
  await copy.edit(
    `    ApiResponseStatusType:\n${status.replace(/^/gm, '      ').trimEnd()}\n`,
    "    ApiResponseStatusType:\n      $ref: './status.yaml'\n",
  );
  expect(await readFile(copy.spec, 'utf8')).not.toContain('Whether the request succeeded.');

  const out = join(copy.dir, 'dist', 'openapi.yaml');
  await bundleSpec(out, copy.spec);
  const bundled = await readFile(out, 'utf8');
  expect(bundled).not.toContain('status.yaml');
  // Redocly files the inlined schema as a component named after the file and points the old name at it.
  const schemas = parse(bundled).components.schemas;
  const name =
    schemas.ApiResponseStatusType.$ref?.replace('#/components/schemas/', '') ?? 'ApiResponseStatusType';
  expect(schemas[name].enum).toEqual(['OK', 'ERROR']);
  expect(await diffSpecFiles('openapi/openapi.yaml', out)).toEqual({ breaking: [], nonBreaking: [] });
}, 30_000);

it('fails with Redocly’s message when a $ref cannot be resolved', async () => {
  await copy.edit(
    "context:\n          $ref: '#/components/schemas/ChatContextDTO'",
    "context:\n          $ref: './missing.yaml'",
  );
  await expect(bundleSpec(join(copy.dir, 'out.yaml'), copy.spec)).rejects.toThrow(/missing\.yaml/);
}, 30_000);
