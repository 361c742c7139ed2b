#!/usr/bin/env node
// The package's command, for any language's CI:
//   yandex-market-chats mock [--port 8080] [--host 127.0.0.1]   serves the mock until SIGINT/SIGTERM
//   yandex-market-chats check-notifications <url>                checks a notification endpoint; exit 1 on a mismatch
// What it does is in cli-main.ts; this file only ties it to the process.
import { processIo, runCommand } from './cli-main.ts';

process.exitCode = await runCommand(process.argv.slice(2), processIo());
