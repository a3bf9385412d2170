import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface ConnectProxy {
  url: string;
  /** What each CONNECT asked for, with its Proxy-Authorization header. */
  connects: Array<{ target: string; auth: string | undefined }>;
  /** Plain (non-CONNECT) requests sent to the proxy, with their Authorization header. */
  forwarded: Array<{ url: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

/**
 * A CONNECT proxy on 127.0.0.1 (what HTTPS_PROXY points at). Whatever host a CONNECT names, the
 * tunnel goes to that port on 127.0.0.1: tests name a non-loopback host (loopback is never
 * proxied) and nothing leaves the machine (or, with `toPort`, to that port whatever the CONNECT
 * names). `hang` accepts and never answers; `status` answers
 * every CONNECT with that status instead of a tunnel.
 */
export async function startConnectProxy(options: { hang?: boolean; status?: number; toPort?: number } = {}): Promise<ConnectProxy> {
  const connects: ConnectProxy['connects'] = [];
  const forwarded: ConnectProxy['forwarded'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    forwarded.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(405);
    res.end();
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    connects.push({ target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    if (options.hang) return;
    if (options.status) {
      client.end(`HTTP/1.1 ${options.status} Refused\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    // `toPort`: every tunnel to that one local server, whatever host and port it names.
    const port = options.toPort ?? Number((req.url ?? '').split(':').at(-1));
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    forwarded,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
