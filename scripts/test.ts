// `npm test`: every check of the project, the quick ones side by side with the vitest run (the unit and
// contract projects in one run, sharing its workers). Prints each step's output once it has ended, the
// slowest test files, each step's time and the total; exits 1 when any step failed.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPlan, type Step, statusLine, summary } from './lib/steps.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** An npm script of package.json, run by the npm that runs `npm test` (or npm from PATH). */
function npmScript(name: string): Step {
  const npmCli = process.env.npm_execpath;
  return npmCli?.endsWith('.js')
    ? { name, command: process.execPath, args: [npmCli, 'run', '--silent', name] }
    : { name, command: 'npm', args: ['run', '--silent', name] };
}

const vitest: Step = {
  name: 'vitest (unit + contract)',
  command: process.execPath,
  args: [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run'],
};

// The machine this must fit has 2 cores: the vitest run is the long lane; the checks run one after
// another beside it (each in parallel with the others only made them all slower there).
const lanes: Step[][] = [
  [vitest],
  // check:generated and check:breaking on the repository run inside vitest (scripts/check-*.test.ts): the
  // modules are loaded there already, and a process each cost 5 s of CPU.
  [npmScript('lint:spec'), npmScript('lint'), npmScript('typecheck')],
];

const started = performance.now();
const env = process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env;
console.log(
  `npm test: ${lanes.flat().length} steps in ${lanes.length} lanes side by side; output follows each step's end.`,
);
const results = await runPlan(lanes, { cwd: ROOT, env, onEnd: (result) => console.log(statusLine(result)) });
for (const result of results) {
  const output = result.output.trimEnd();
  console.log(`\n===== ${statusLine(result)}${output === '' ? '' : `\n${output}`}`);
}
console.log(`\n${summary(results, performance.now() - started)}`);
process.exitCode = results.every((result) => result.ok) ? 0 : 1;
