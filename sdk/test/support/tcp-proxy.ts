// A TCP proxy in front of the API whose connections a test can cut, as a flaky network would.
import net from 'node:net';

export interface TcpProxy {
  /** The API's /graphql through the proxy. */
  graphqlUrl: string;
  /** Cuts every connection carrying an event stream; returns how many were cut. */
  cutStreams(): number;
  /** While on, the network is down: open connections are cut and new ones closed at once. */
  refuse(on: boolean): void;
  close(): Promise<void>;
}

export async function startTcpProxy(origin: string): Promise<TcpProxy> {
  const target = new URL(origin);
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket; stream: boolean }>();
  let refusing = false;

  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(target.port), target.hostname);
    const pair = { client, upstream, stream: false };
    pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (chunk.includes('"operationName":"ViewerEvents"')) pair.stream = true;
    });
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  return {
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    cutStreams() {
      let cut = 0;
      for (const pair of pairs) {
        if (!pair.stream) continue;
        pair.client.destroy();
        pair.upstream.destroy();
        cut += 1;
      }
      return cut;
    },
    refuse(on) {
      refusing = on;
      if (!on) return;
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
    },
    close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
