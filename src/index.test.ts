import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

describe('the package entry', () => {
  it('exports every error class, so that callers can test for each with instanceof', async () => {
    const files = readdirSync(new URL('./errors/', import.meta.url)).filter(
      (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
    );
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const module = (await import(`./errors/${file}`)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (typeof value === 'function' && name.endsWith('Error')) {
          expect(api, `${name} of errors/${file}`).toHaveProperty(name, value);
        }
      }
    }
  });

  it('exports the type guards', () => {
    expect(
      api.isMarketError(
        new api.DeadlineError('op', { limitMs: 1, bound: 'deadlineMs', waitingFor: 'slot', attempts: 0 }),
      ),
    ).toBe(true);
    expect(api.isChatContextIdentifiableType('ORDER')).toBe(true);
    expect(api.isApiResponseStatusType('ERROR')).toBe(true);
  });
});
