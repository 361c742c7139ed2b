import { describe, expect, it } from 'vitest';
import { formatSlowest, slowest } from './slowest-files-reporter.ts';
import { runPlan, runStep, type Step, type StepResult, statusLine, summary } from './steps.ts';

const node = (name: string, code: string): Step => ({ name, command: process.execPath, args: ['-e', code] });
const cwd = process.cwd();

describe('runStep', () => {
  it('keeps stdout and stderr, and reports a non-zero exit as a failure', async () => {
    const result = await runStep(node('fails', 'console.log("out"); console.error("err"); process.exit(3)'), {
      cwd,
    });
    expect(result).toMatchObject({ name: 'fails', ok: false, exit: 3 });
    expect(result.output).toContain('out');
    expect(result.output).toContain('err');
  });

  it('reports a command that cannot start as a failed step, naming the cause', async () => {
    const result = await runStep({ name: 'missing', command: '/nonexistent/tool', args: [] }, { cwd });
    expect(result).toMatchObject({ ok: false, exit: 'error' });
    expect(result.output).toContain('ENOENT');
  });
});

describe('runPlan', () => {
  it('runs every step even after a failure, lanes side by side, and returns results in plan order', async () => {
    const ended: string[] = [];
    // Lane 2's step waits for a file lane 1's second step writes: it can only pass when lanes overlap.
    const flag = `${cwd}/node_modules/.steps-test-${process.pid}`;
    const results = await runPlan(
      [
        [
          node('a1', 'process.exit(1)'),
          node('a2', `require('fs').writeFileSync(${JSON.stringify(flag)}, '')`),
        ],
        [
          node(
            'b1',
            `const fs = require('fs'); const t = setInterval(() => { if (fs.existsSync(${JSON.stringify(flag)})) { fs.rmSync(${JSON.stringify(flag)}); clearInterval(t); } }, 10); setTimeout(() => process.exit(2), 15000).unref();`,
          ),
        ],
      ],
      { cwd, onEnd: (result) => ended.push(result.name) },
    );
    expect(results.map((r) => [r.name, r.ok])).toEqual([
      ['a1', false],
      ['a2', true],
      ['b1', true],
    ]);
    expect(ended.indexOf('a1')).toBeLessThan(ended.indexOf('a2'));
  });
});

const result = (name: string, ms: number, ok = true): StepResult => ({
  name,
  ok,
  exit: ok ? 0 : 1,
  ms,
  output: '',
});

describe('summary', () => {
  it('lists the steps slowest first, marks the failed ones and names them in the verdict', () => {
    const text = summary(
      [result('lint', 900), result('vitest', 41_250, false), result('typecheck', 10_000)],
      43_000,
    );
    expect(text.split('\n')).toEqual([
      'Steps (slowest first; lanes run side by side):',
      '  vitest      41.3 s  FAILED (exit 1)',
      '  typecheck   10.0 s',
      '  lint         0.9 s',
      'Total 43.0 s wall: FAILED: vitest',
    ]);
  });

  it('says all passed when every step passed', () => {
    expect(summary([result('lint', 900)], 1_000)).toMatch(/Total 1\.0 s wall: all passed$/);
    expect(statusLine(result('lint', 900))).toBe('✓ lint (0.9 s)');
    expect(statusLine(result('lint', 900, false))).toBe('✗ lint FAILED, exit 1 (0.9 s)');
  });
});

describe('the slowest test files', () => {
  const times = [
    { file: 'a.test.ts', project: 'unit', ms: 1_000 },
    { file: 'b.test.ts', project: 'contract', ms: 8_500 },
    { file: 'c.test.ts', project: 'unit', ms: 12_900 },
  ];

  it('are the longest first, as many as asked', () => {
    expect(slowest(times, 2).map((t) => t.file)).toEqual(['c.test.ts', 'b.test.ts']);
  });

  it('are printed one a line with seconds and project', () => {
    expect(formatSlowest(times, 2).split('\n')).toEqual([
      'Slowest test files (of 3):',
      '    12.9 s  unit     c.test.ts',
      '     8.5 s  contract b.test.ts',
    ]);
  });
});
