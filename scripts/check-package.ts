// `npm run check:package` (part of `npm test`): packs the package as it would be published and lints the
// tarball with publint (strict: warnings fail too) and Are the Types Wrong (ESM-only profile: the package is
// ESM by design, so `require` from CommonJS resolving to ESM is expected, not a problem).
// Both read the local tarball only: attw's --no-definitely-typed keeps it from looking up @types packages.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { childEnv, run } from './lib/child.ts';
import { packPackage, ROOT } from './lib/pack.ts';

/** The JavaScript file of a dev dependency's command, to run with this Node (no shell, no .bin shims). */
async function binScript(packageName: string, command: string): Promise<string> {
  const manifestPath = join(ROOT, 'node_modules', packageName, 'package.json');
  const { bin } = JSON.parse(await readFile(manifestPath, 'utf8')) as { bin: Record<string, string> };
  const script = bin[command];
  if (script === undefined) throw new Error(`${packageName} has no command ${command}`);
  return join(dirname(manifestPath), script);
}

export interface CheckResult {
  tool: string;
  ok: boolean;
  output: string;
}

export async function checkTarball(tarball: string): Promise<CheckResult[]> {
  const checks = [
    { tool: 'publint', args: [await binScript('publint', 'publint'), 'run', tarball, '--strict'] },
    {
      tool: 'attw',
      args: [
        await binScript('@arethetypeswrong/cli', 'attw'),
        tarball,
        '--profile',
        'esm-only',
        '--no-definitely-typed',
        // The YAML files (the two specs) have no types to check; the consumer test proves they resolve.
        '--exclude-entrypoints',
        './openapi.yaml',
        './notifications.yaml',
        '--format',
        'ascii',
        '--no-color',
        '--no-emoji',
      ],
    },
  ];
  const results: CheckResult[] = [];
  for (const { tool, args } of checks) {
    // Plain text: publint colours its output whenever CI is set.
    const env = { ...childEnv(), NO_COLOR: '1', FORCE_COLOR: undefined };
    const { code, stdout, stderr } = await run(process.execPath, args, dirname(tarball), env);
    results.push({ tool, ok: code === 0, output: `${stdout}${stderr}`.trim() });
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const work = await mkdtemp(join(tmpdir(), 'ymcc-check-package-'));
  try {
    const { tarball } = await packPackage(work);
    const results = await checkTarball(tarball);
    for (const { tool, ok, output } of results) {
      console.log(`== ${tool}: ${ok ? 'ok' : 'FAILED'}\n${output}\n`);
    }
    if (results.some((result) => !result.ok)) process.exitCode = 1;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
