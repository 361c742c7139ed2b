// `npm run bundle`: bundles openapi/openapi.yaml into the single file dist/openapi.yaml (package export
// `yandex-market-chats-client/openapi.yaml`), with Redocly CLI. scripts/build.ts imports `bundleSpec`.
import { execFile } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REDOCLY = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');
export const BUNDLE_PATH = 'dist/openapi.yaml';

/** Every `$ref` in `node` that does not point inside the same document. */
function externalRefs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) externalRefs(item, found);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) found.push(value);
      else externalRefs(value, found);
    }
  }
  return found;
}

/**
 * Writes the spec (and anything it references in other files) as one self-contained YAML file at `outFile`.
 * Throws with Redocly's output when bundling fails, or when the result still points to another file.
 */
export async function bundleSpec(
  outFile: string = BUNDLE_PATH,
  specPath = 'openapi/openapi.yaml',
): Promise<void> {
  const out = resolve(outFile);
  await mkdir(dirname(out), { recursive: true });
  const args = [
    REDOCLY,
    'bundle',
    resolve(specPath),
    '--output',
    out,
    '--config',
    join(ROOT, 'openapi/redocly.yaml'),
  ];
  try {
    await promisify(execFile)(process.execPath, args, {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`redocly bundle ${specPath} failed:\n${stderr}${stdout}`);
  }
  const external = externalRefs(parse(await readFile(out, 'utf8')));
  if (external.length > 0) throw new Error(`${outFile} still references other files: ${external.join(', ')}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await bundleSpec();
  console.log(`wrote ${BUNDLE_PATH}`);
}
