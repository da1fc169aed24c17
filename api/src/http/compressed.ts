// Static responses compressed once (brotli and gzip at their best levels, since the work is done once
// per content, not per request) and revalidated by ETag: the widget bundle, the OpenAPI document, /docs,
// GraphiQL's page.
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

export interface CompressedBody {
  /** The first 12 hex digits of the content's SHA-256. */
  hash: string;
  raw: Buffer;
  gzip: Buffer;
  br: Buffer;
}

export function compress(raw: Buffer): CompressedBody {
  return {
    hash: createHash('sha256').update(raw).digest('hex').slice(0, 12),
    raw,
    gzip: gzipSync(raw, { level: 9 }),
    br: brotliCompressSync(raw),
  };
}

/**
 * The same for content of megabytes (GraphiQL's page, 9 MB), compressed on libuv's threads so that
 * the event loop keeps serving. The levels are lower because the best ones take minutes there
 * (9 MB here: brotli 11 118 s, 9 14 s, 5 4.0 s → 1.95 MB; gzip 9 0.73 s, 6 0.34 s → 2.44 MB).
 */
export async function compressLarge(raw: Buffer): Promise<CompressedBody> {
  const [gzipped, br] = await Promise.all([
    promisify(gzip)(raw, { level: 6 }),
    promisify(brotliCompress)(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }),
  ]);
  return { hash: createHash('sha256').update(raw).digest('hex').slice(0, 12), raw, gzip: gzipped, br };
}

/** 304 when the client has this version, else the smallest encoding it accepts. */
export function sendCompressed(req: IncomingMessage, res: ServerResponse, body: CompressedBody, headers: Record<string, string>): void {
  const etag = `"${body.hash}"`;
  const common = { ...headers, etag, vary: 'accept-encoding' };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, common);
    res.end();
    return;
  }
  const accepts = String(req.headers['accept-encoding'] ?? '');
  const [content, encoding] = /\bbr\b/.test(accepts) ? [body.br, 'br'] : /\bgzip\b/.test(accepts) ? [body.gzip, 'gzip'] : [body.raw, undefined];
  res.writeHead(200, { ...common, ...(encoding ? { 'content-encoding': encoding } : {}), 'content-length': String(content.length) });
  res.end(req.method === 'HEAD' ? undefined : content);
}
