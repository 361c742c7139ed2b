// `npm run check:breaking`: fails when a spec breaks callers of its last released version (the baseline).
// Without options it checks both specs (openapi/openapi.yaml, openapi/notifications.yaml) against theirs in
// openapi/released/. --spec <file> checks one file (e.g. an edited copy) against the baseline of the spec
// with its info.title; --baseline <file> names the baseline instead. Without --spec it also checks that both
// specs' info.version is package.json's version and that CHANGELOG.md has a section for it.
import { parseArgs } from 'node:util';
import { baselineFor, diffSpecFiles, formatReport, SPECS } from './lib/check-breaking.ts';
import { repositoryVersionProblems } from './lib/check-versions.ts';

const { values } = parseArgs({ options: { spec: { type: 'string' }, baseline: { type: 'string' } } });
try {
  const pairs =
    values.spec === undefined
      ? SPECS
      : [{ spec: values.spec, baseline: values.baseline ?? (await baselineFor(values.spec)) }];
  for (const { spec, baseline } of pairs) {
    const report = await diffSpecFiles(baseline, spec);
    const message = formatReport(report, baseline, spec);
    if (report.breaking.length > 0) {
      console.error(message);
      process.exitCode = 1;
    } else {
      console.log(message);
    }
  }
  // The repository's own specs also carry the package's version (a copy given with --spec need not).
  if (values.spec === undefined) {
    for (const problem of await repositoryVersionProblems(SPECS.map(({ spec }) => spec))) {
      console.error(problem);
      process.exitCode = 1;
    }
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
