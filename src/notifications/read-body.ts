// Reads a request body up to a size limit and within a time limit, refusing a larger or slower one
// without reading it all (a body that drips would otherwise hold the connection for minutes).

export type BodyText =
  | { ok: true; text: string }
  | { ok: false; problem: 'too-large' | 'not-utf8' | 'too-slow' };

/** The body as UTF-8 text, or why not; stops at the first byte over `maxBytes` or after `timeoutMs`. */
export async function readBodyText(request: Request, maxBytes: number, timeoutMs: number): Promise<BodyText> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) return { ok: false, problem: 'too-large' };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  if (reader !== undefined) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), timeoutMs);
    });
    for (;;) {
      const next = await Promise.race([reader.read(), expired]).catch((error: unknown) => {
        clearTimeout(timer);
        throw error;
      });
      if (next === 'expired') {
        // Not awaited: a source stuck in a read may never acknowledge the cancel.
        reader.cancel().catch(() => {});
        return { ok: false, problem: 'too-slow' };
      }
      if (next.done) {
        clearTimeout(timer);
        break;
      }
      size += next.value.byteLength;
      if (size > maxBytes) {
        clearTimeout(timer);
        await reader.cancel().catch(() => {});
        return { ok: false, problem: 'too-large' };
      }
      chunks.push(next.value);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, problem: 'not-utf8' };
  }
}
