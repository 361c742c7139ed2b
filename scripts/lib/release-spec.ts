// `npm run release:spec`: makes the current spec the baseline that `npm run check:breaking` compares with.
import { readFile, writeFile } from 'node:fs/promises';
import { diffSpecFiles } from './check-breaking.ts';

const VERSION_LINE = /^# released-version: (\S+)$/m;

/** The package version the baseline was released as, from its header; undefined for a bare copy. */
export function releasedVersion(baselineText: string): string | undefined {
  return VERSION_LINE.exec(baselineText)?.[1];
}

/** Whether going from `from` to `to` is a bump that semver allows to break callers (major; minor on 0.x). */
export function allowsBreaking(from: string, to: string): boolean {
  const [fromMajor = 0, fromMinor = 0] = from.split('.').map(Number);
  const [toMajor = 0, toMinor = 0] = to.split('.').map(Number);
  if (toMajor !== fromMajor) return toMajor > fromMajor;
  return fromMajor === 0 && toMinor > fromMinor;
}

export interface ReleaseOptions {
  specPath: string;
  baselinePath: string;
  /** The package version being released (package.json's). */
  version: string;
}

/**
 * Copies the spec to the baseline, with a header naming the version. Refuses when the spec breaks the
 * current baseline and `version` is not a breaking bump of the baseline's version.
 */
export async function releaseSpec({ specPath, baselinePath, version }: ReleaseOptions): Promise<void> {
  const previous = await readFile(baselinePath, 'utf8').catch(() => undefined);
  const previousVersion = previous === undefined ? undefined : releasedVersion(previous);
  if (previous !== undefined && previousVersion !== undefined && !allowsBreaking(previousVersion, version)) {
    const { breaking } = await diffSpecFiles(baselinePath, specPath);
    if (breaking.length > 0) {
      throw new Error(
        `${specPath} has ${breaking.length} breaking change(s) since ${previousVersion} (see \`npm run check:breaking\`), ` +
          `but the package version is ${version}: bump the major version first ` +
          '(`npm version major --no-git-tag-version`; on 0.x, `npm version minor --no-git-tag-version`).',
      );
    }
  }
  const spec = await readFile(specPath, 'utf8');
  const header = [
    `# The spec as released in version ${version}: the baseline of \`npm run check:breaking\`.`,
    `# Do not edit: \`npm run release:spec\` rewrites it from ${specPath}.`,
    `# released-version: ${version}`,
    '',
  ].join('\n');
  await writeFile(baselinePath, header + spec);
}
