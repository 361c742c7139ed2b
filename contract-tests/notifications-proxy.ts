// The notification handler on loopback behind `prism proxy --errors openapi/notifications.yaml`: every
// notification sent in and every answer coming out is validated against the spec. Prism marks a response
// that breaks the spec with an `sl-violations` header, and answers an invalid request itself (422).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PrismServer, startPrism } from '../scripts/lib/prism.ts';

export const NOTIFICATIONS_SPEC = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'openapi',
  'notifications.yaml',
);

type Listener = (request: IncomingMessage, response: ServerResponse) => unknown;

export interface Delivered {
  status: number;
  body: unknown;
  /** Prism's `sl-violations` header, raw; null when the exchange matched the spec. */
  violations: string | null;
}

export interface NotificationsProxy {
  /** Sends `body` as Yandex would: `POST /notification` with JSON, through Prism. */
  deliver(body: unknown): Promise<Delivered>;
  /** Puts `listener` behind Prism (the upstream server stays the same). */
  use(listener: Listener): void;
  /** How many requests reached the upstream server. */
  upstreamRequests(): number;
  stop(): Promise<void>;
}

export async function startNotificationsProxy(): Promise<NotificationsProxy> {
  let listener: Listener = (_, response) => response.end();
  let reached = 0;
  const server: Server = createServer((request, response) => {
    reached++;
    void listener(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const upstream = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let prism: PrismServer;
  try {
    prism = await startPrism({ spec: NOTIFICATIONS_SPEC, mode: 'proxy', upstream, verboseLevel: 'warn' });
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    async deliver(body) {
      const response = await fetch(`${prism.baseUrl}/notification`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text === '' ? undefined : JSON.parse(text),
        violations: response.headers.get('sl-violations'),
      };
    },
    use(next) {
      listener = next;
    },
    upstreamRequests: () => reached,
    async stop() {
      await prism.stop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
