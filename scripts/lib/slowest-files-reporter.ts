// A vitest reporter that prints, after the run, the test files that took longest (wall time of each
// file in its worker), so that `npm test` shows where its time goes.
import type { Reporter, TestModule } from 'vitest/node';

export interface FileTime {
  file: string;
  project: string;
  ms: number;
}

/** The `count` slowest files, longest first. */
export function slowest(times: readonly FileTime[], count: number): FileTime[] {
  return [...times].sort((a, b) => b.ms - a.ms).slice(0, count);
}

export function formatSlowest(times: readonly FileTime[], count: number): string {
  const lines = slowest(times, count).map(
    ({ file, project, ms }) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${project.padEnd(8)} ${file}`,
  );
  return `Slowest test files (of ${times.length}):\n${lines.join('\n')}`;
}

export default class SlowestFilesReporter implements Reporter {
  private readonly count: number;

  /** Options as vitest passes them: `['./scripts/lib/slowest-files-reporter.ts', { count: 5 }]`. */
  constructor(options: { count?: number } = {}) {
    this.count = options.count ?? 10;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (testModules.length === 0) return;
    const times = testModules.map((module) => ({
      file: module.relativeModuleId,
      project: module.project.name,
      ms: module.diagnostic().duration,
    }));
    console.log(`\n${formatSlowest(times, this.count)}\n`);
  }
}
