// Request bodies are read with a ceiling, whether or not the client declared a Content-Length
// (a chunked upload declares none), so no request can make the server buffer more than the limit.
import type { IncomingMessage } from 'node:http';

/** The whole body, or null as soon as it grows past maxBytes. */
export async function readBodyWithin(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Hands an already-read body to Yoga. Its Node adapter (@whatwg-node/server) uses `req.body`
 * when present, as it does behind frameworks with body parsers, instead of reading the stream.
 */
export function attachBody(req: IncomingMessage, body: Buffer): void {
  (req as IncomingMessage & { body?: Uint8Array }).body = body;
}
