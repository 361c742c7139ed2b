// What the `yandex-market-chats` command does, apart from the process it runs in (cli.ts), so that it can
// be tested in-process: arguments in, lines out, an exit code back.
import { parseArgs } from 'node:util';
import { checkNotifications, formatTable } from './check-notifications.ts';
import { startMockMarket } from './mock-market.ts';

export const USAGE = `usage:
  yandex-market-chats mock [--port <port>] [--host <address>]
  yandex-market-chats check-notifications <url>`;

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  /** Settles when the command should stop serving (SIGINT/SIGTERM for the process). */
  stopped(): Promise<void>;
}

/** The io of the real command: lines to the console, stopped by the process's first SIGINT or SIGTERM. */
export function processIo(
  signals: Pick<NodeJS.EventEmitter, 'once'> = process,
  log: Pick<Console, 'log' | 'error'> = console,
): CommandIo {
  return {
    out: (line) => log.log(line),
    err: (line) => log.error(line),
    stopped: () =>
      new Promise<void>((resolve) => {
        signals.once('SIGINT', () => resolve());
        signals.once('SIGTERM', () => resolve());
      }),
  };
}

async function serveMock(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string' }, host: { type: 'string' } },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`--port must be a port number (0-65535), got ${values.port}`);
    return 2;
  }
  const mock = await startMockMarket({ port, ...(values.host ? { host: values.host } : {}) });
  io.out(`mock Market API listening on ${mock.url}`);
  await io.stopped();
  await mock.close();
  return 0;
}

async function checkEndpoint(args: string[], io: CommandIo): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const url = positionals[0];
  if (url === undefined || !URL.canParse(url)) {
    io.err(`check-notifications needs the endpoint's URL\n${USAGE}`);
    return 2;
  }
  const results = await checkNotifications(url);
  io.out(formatTable(results));
  const failed = results.filter((result) => !result.ok).length;
  io.out(failed === 0 ? `\nall ${results.length} cases ok` : `\n${failed} of ${results.length} cases FAILED`);
  return failed === 0 ? 0 : 1;
}

/** Runs the command `argv` (without node and the script); the exit code: 0 ok, 1 a mismatch, 2 misuse. */
export async function runCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'mock') return await serveMock(rest, io);
    if (command === 'check-notifications') return await checkEndpoint(rest, io);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 2;
  }
  io.err(USAGE);
  return 2;
}
