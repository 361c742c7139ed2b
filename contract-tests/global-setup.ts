// Vitest global setup of the `contract` project: one Prism for the whole suite, stopped afterwards.
//
// Mock mode (default): `prism mock --errors` of the spec. Live mode (MARKET_BASE_URL and a credential
// set, see live-config.ts): `prism proxy --errors` in front of MARKET_BASE_URL, so every real request and
// response is still validated against the spec. CONTRACT_SPEC=<path> runs the suite against another copy
// of the spec (used to check that a broken spec fails the suite).
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { DEFAULT_SPEC, startPrism } from '../scripts/lib/prism.ts';
import { readLiveConfig } from './live-config.ts';

export interface ContractContext {
  /** Where the client sends its requests: Prism, mock or proxy. */
  baseUrl: string;
  mode: 'mock' | 'live';
  /** The spec Prism serves; the tests read codes and examples from the same file. */
  specPath: string;
  /** MARKET_BASE_URL in live mode. */
  upstream: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    contract: ContractContext;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const live = readLiveConfig(process.env);
  const specPath = path.resolve(process.env.CONTRACT_SPEC?.trim() || DEFAULT_SPEC);
  const started = performance.now();
  const prism = await startPrism(
    live === undefined ? { spec: specPath } : { spec: specPath, mode: 'proxy', upstream: live.baseUrl },
  );
  const took = Math.round(performance.now() - started);
  console.log(
    live === undefined
      ? `[contract] Prism mock of ${path.relative(process.cwd(), specPath)} at ${prism.baseUrl} (ready in ${took} ms)`
      : `[contract] LIVE: Prism proxy at ${prism.baseUrl} -> ${live.baseUrl} (ready in ${took} ms); mock-only tests are skipped`,
  );
  project.provide('contract', {
    baseUrl: prism.baseUrl,
    mode: live === undefined ? 'mock' : 'live',
    specPath,
    upstream: live?.baseUrl ?? null,
  });
  return async () => {
    await prism.stop();
  };
}
