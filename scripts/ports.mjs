// Whether a server can listen on a port: tried by listening on it, on the host the server will use.
import { createServer } from 'node:net';

export function portIsFree(port, host) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** The first free port from `port` on, among the next `tries`; undefined when all are taken. */
export async function firstFreePort(port, host, tries = 20) {
  for (let candidate = port; candidate < port + tries && candidate <= 65535; candidate++) {
    if (await portIsFree(candidate, host)) return candidate;
  }
  return undefined;
}
