// `npm run check:breaking`: fails when a spec breaks callers of its last released version (the baseline).
// Without options it checks both specs (openapi/openapi.yaml, openapi/notifications.yaml) against theirs in
// openapi/released/. --spec <file> checks one file (e.g. an edited copy) against the baseline of the spec
// with its info.title; --baseline <file> names the baseline instead. Without --spec it also checks that both
// specs' info.version is package.json's version and that CHANGELOG.md has a section for it.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { baselineFor, diffSpecFiles, formatReport, SPECS } from './lib/check-breaking.ts';
import { repositoryVersionProblems } from './lib/check-versions.ts';

/** The command with its arguments; prints to `out` and returns the exit code (tests call it in-process). */
export async function checkBreaking(
  args: string[],
  out: Pick<Console, 'log' | 'error'> = console,
): Promise<number> {
  let code = 0;
  try {
    const { values } = parseArgs({
      args,
      options: { spec: { type: 'string' }, baseline: { type: 'string' } },
    });
    const pairs =
      values.spec === undefined
        ? SPECS
        : [{ spec: values.spec, baseline: values.baseline ?? (await baselineFor(values.spec)) }];
    for (const { spec, baseline } of pairs) {
      const report = await diffSpecFiles(baseline, spec);
      const message = formatReport(report, baseline, spec);
      if (report.breaking.length > 0) {
        out.error(message);
        code = 1;
      } else {
        out.log(message);
      }
    }
    // The repository's own specs also carry the package's version (a copy given with --spec need not).
    if (values.spec === undefined) {
      for (const problem of await repositoryVersionProblems(SPECS.map(({ spec }) => spec))) {
        out.error(problem);
        code = 1;
      }
    }
  } catch (error) {
    out.error(error instanceof Error ? error.message : error);
    code = 1;
  }
  return code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = await checkBreaking(process.argv.slice(2));
}
