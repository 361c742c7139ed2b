// A minimal keep-alive HTTP server on 127.0.0.1 that answers createChat like the spec's 200 response, on
// two ports: one answers with a Content-Length, the other as a compressing front end does (gzip, chunked,
// no Content-Length: the common case in production). Run as a child process of scripts/bench.ts so that
// it does not compete with the clients for the event loop. It prints `listening <plain port> <gzip port>`
// on stdout once ready and exits when stdin closes.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

const BODY = Buffer.from(JSON.stringify({ status: 'OK', result: { chatId: 987654321 } }));
// Compressed once: what the front end spends compressing is the server's time, not the client's.
const GZIPPED = gzipSync(BODY);
let remaining = 1_000_000;

function answering(gzip: boolean): Server {
  const server = createServer((req, res) => {
    // Drain the request body before answering, as a real server would.
    req.on('data', () => {});
    req.on('end', () => {
      const ok = req.method === 'POST' && /^\/v2\/businesses\/\d+\/chats\/new$/.test(req.url ?? '');
      remaining = remaining > 0 ? remaining - 1 : 1_000_000;
      const body = ok ? BODY : Buffer.from('{}');
      const rateLimit = {
        'Content-Type': 'application/json',
        'X-RateLimit-Resource-Limit': '1000000',
        'X-RateLimit-Resource-Remaining': String(remaining),
        'X-RateLimit-Resource-Until': 'Thu, 10 Jul 2036 00:42:42 GMT',
      };
      if (gzip) {
        res.writeHead(ok ? 200 : 404, {
          ...rateLimit,
          'Content-Encoding': 'gzip',
          'Transfer-Encoding': 'chunked',
          Vary: 'Accept-Encoding',
        });
        res.end(ok ? GZIPPED : gzipSync(body));
      } else {
        res.writeHead(ok ? 200 : 404, { ...rateLimit, 'Content-Length': String(body.byteLength) });
        res.end(body);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  return server;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

const [plainPort, gzipPort] = await Promise.all([listen(answering(false)), listen(answering(true))]);
process.stdout.write(`listening ${plainPort} ${gzipPort}\n`);

// The parent closes our stdin to stop us (also if it dies).
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
