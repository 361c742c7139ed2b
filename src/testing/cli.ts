#!/usr/bin/env node
// The package's command, for any language's CI:
//   yandex-market-chats mock [--port 8080] [--host 127.0.0.1]   serves the mock until SIGINT/SIGTERM
//   yandex-market-chats check-notifications <url>                checks a notification endpoint; exit 1 on a mismatch
import { parseArgs } from 'node:util';
import { checkNotifications, formatTable } from './check-notifications.ts';
import { startMockMarket } from './mock-market.ts';

const USAGE = `usage:
  yandex-market-chats mock [--port <port>] [--host <address>]
  yandex-market-chats check-notifications <url>`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'mock') {
    const { values } = parseArgs({
      args: rest,
      options: { port: { type: 'string' }, host: { type: 'string' } },
    });
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error(`--port must be a port number (0-65535), got ${values.port}`);
      return 2;
    }
    const mock = await startMockMarket({ port, ...(values.host ? { host: values.host } : {}) });
    console.log(`mock Market API listening on ${mock.url}`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await mock.close();
    return 0;
  }
  if (command === 'check-notifications') {
    const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
    const url = positionals[0];
    if (url === undefined || !URL.canParse(url)) {
      console.error(`check-notifications needs the endpoint's URL\n${USAGE}`);
      return 2;
    }
    const results = await checkNotifications(url);
    console.log(formatTable(results));
    const failed = results.filter((result) => !result.ok).length;
    console.log(
      failed === 0 ? `\nall ${results.length} cases ok` : `\n${failed} of ${results.length} cases FAILED`,
    );
    return failed === 0 ? 0 : 1;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
