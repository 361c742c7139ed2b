// Preloaded into the Prism process by scripts/lib/prism.ts (`node --require <this> prism ...`).
// Prism's stdin is a pipe from the process that started it; when that process goes away for any reason
// (even SIGKILL, which runs no exit handlers), the pipe reaches end-of-file and Prism exits with it, so
// no mock outlives an interrupted test run.
'use strict';

process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
