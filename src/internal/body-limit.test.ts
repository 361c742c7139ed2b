import { describe, expect, it, vi } from 'vitest';
import { rejectionOf } from '../../test-support/fake-api.ts';
import { BodyTooLargeError, limitBody } from './body-limit.ts';

/** A body of `chunks` chunks of `size` bytes, recording whether it was cancelled and how much was pulled. */
function streamed(chunks: number, size: number) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === chunks) controller.close();
      else {
        seen.pulled++;
        controller.enqueue(new Uint8Array(size).fill(97));
      }
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { body, seen };
}

describe('limitBody', () => {
  it('refuses a Content-Length over the cap at once, cancelling the body unread', () => {
    const { body, seen } = streamed(3, 50);
    const response = new Response(body, { headers: { 'Content-Length': '150' } });
    expect(() => limitBody(response, 149)).toThrow(new BodyTooLargeError(149));
    expect(() => limitBody(response, 149)).toThrow('the body is larger than maxResponseBytes (149 bytes)');
    expect(seen).toEqual({ pulled: 0, cancelled: true });
  });

  it('passes a response whose Content-Length is within the cap as it is', () => {
    const response = new Response('x'.repeat(150), { headers: { 'Content-Length': '150' } });
    expect(limitBody(response, 150)).toBe(response);
  });

  it('passes a response without a body as it is', () => {
    const response = new Response(null, { status: 204 });
    expect(limitBody(response, 0)).toBe(response);
  });

  it('counts a body without Content-Length as it is read, and errors past the cap', async () => {
    const { body, seen } = streamed(10, 50);
    const limited = limitBody(
      new Response(body, { status: 201, statusText: 'Made', headers: { 'X-A': '1' } }),
      120,
    );
    expect(limited).toMatchObject({ status: 201, statusText: 'Made' });
    expect(limited.headers.get('X-A')).toBe('1');
    const error = await rejectionOf(limited.text());
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect((error as BodyTooLargeError).maxBytes).toBe(120);
    expect(seen.pulled).toBeLessThan(10);
  });

  it('reads a counted body just at the cap whole', async () => {
    const { body } = streamed(3, 50);
    await expect(limitBody(new Response(body), 150).text()).resolves.toBe('a'.repeat(150));
  });

  it('counts a compressed body even with a Content-Length: the length says nothing of what comes out', async () => {
    const { body } = streamed(3, 50);
    const response = new Response(body, { headers: { 'Content-Length': '10', 'Content-Encoding': 'gzip' } });
    const limited = limitBody(response, 100);
    expect(await rejectionOf(limited.text())).toBeInstanceOf(BodyTooLargeError);
  });

  it('counts without a second stream or Response: hands back the same Response, its text() capped', async () => {
    const { body } = streamed(2, 50);
    const response = new Response(body, { status: 202, headers: { 'Content-Encoding': 'gzip' } });
    const limited = limitBody(response, 100);
    expect(limited).toBe(response);
    await expect(limited.text()).resolves.toBe('a'.repeat(100));
  });

  it('cancels the rest of a counted body once it is past the cap', async () => {
    const { body, seen } = streamed(10, 50);
    await rejectionOf(limitBody(new Response(body), 120).text());
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThanOrEqual(4); // the 3 read and at most 1 the stream queued ahead
  });

  it('decodes a counted body as UTF-8 across chunk edges, dropping a leading BOM as text() does', async () => {
    const bytes = new TextEncoder().encode('\uFEFF{"a":"ё€𝄞"}');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 3) controller.enqueue(bytes.slice(at, at + 3));
        controller.close();
      },
    });
    await expect(limitBody(new Response(body), bytes.length).text()).resolves.toBe('{"a":"ё€𝄞"}');
  });

  it('caps a counted body also on a frozen Response', async () => {
    const { body } = streamed(3, 50);
    const response = Object.freeze(new Response(body, { status: 201, headers: { 'X-A': '1' } }));
    const limited = limitBody(response, 120);
    expect(limited).toMatchObject({ status: 201 });
    expect(limited.headers.get('X-A')).toBe('1');
    expect(await rejectionOf(limited.text())).toBeInstanceOf(BodyTooLargeError);
  });

  it('passes a read error of a counted body on as it is', async () => {
    const failure = new TypeError('terminated');
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.error(failure),
    });
    expect(await rejectionOf(limitBody(new Response(body), 100).text())).toBe(failure);
  });

  it('does not read a refused body whose cancel fails', () => {
    const body = new ReadableStream({ cancel: () => Promise.reject(new Error('already gone')) });
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    expect(() => limitBody(new Response(body, { headers: { 'Content-Length': '5' } }), 4)).toThrow(
      BodyTooLargeError,
    );
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        process.off('unhandledRejection', unhandled);
        expect(unhandled).not.toHaveBeenCalled();
        resolve();
      }, 10),
    );
  });

  it('refuses a counted body past the cap also when its cancel fails, without an unhandled rejection', async () => {
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(50)),
      cancel: () => Promise.reject(new Error('already gone')),
    });
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    expect(await rejectionOf(limitBody(new Response(body), 120).text())).toBeInstanceOf(BodyTooLargeError);
    await new Promise((resolve) => setTimeout(resolve, 10));
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('refuses a Content-Length over the cap on a response without a body', () => {
    const response = new Response(null, { status: 200, headers: { 'Content-Length': '500' } });
    expect(() => limitBody(response, 100)).toThrow(BodyTooLargeError);
  });
});
