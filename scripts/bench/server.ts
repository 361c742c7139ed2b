// A minimal keep-alive HTTP server on 127.0.0.1 that answers createChat like the spec's 200 response.
// Run as a child process of scripts/bench.ts so that it does not compete with the clients for the
// event loop. It prints `listening <port>` on stdout once ready and exits when stdin closes.
import { createServer } from 'node:http';

const BODY = JSON.stringify({ status: 'OK', result: { chatId: 987654321 } });
const BODY_LENGTH = String(Buffer.byteLength(BODY));
let remaining = 1_000_000;

const server = createServer((req, res) => {
  // Drain the request body before answering, as a real server would.
  req.on('data', () => {});
  req.on('end', () => {
    const ok = req.method === 'POST' && /^\/v2\/businesses\/\d+\/chats\/new$/.test(req.url ?? '');
    remaining = remaining > 0 ? remaining - 1 : 1_000_000;
    res.writeHead(ok ? 200 : 404, {
      'Content-Type': 'application/json',
      'Content-Length': ok ? BODY_LENGTH : '2',
      'X-RateLimit-Resource-Limit': '1000000',
      'X-RateLimit-Resource-Remaining': String(remaining),
      'X-RateLimit-Resource-Until': 'Thu, 10 Jul 2036 00:42:42 GMT',
    });
    res.end(ok ? BODY : '{}');
  });
});
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('unexpected server address');
  process.stdout.write(`listening ${address.port}\n`);
});

// The parent closes our stdin to stop us (also if it dies).
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
