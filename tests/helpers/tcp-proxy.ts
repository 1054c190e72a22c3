import net from 'node:net';

/**
 * A TCP proxy to a real server that a test can cut (every connection dropped, new ones refused) and
 * restore, to see how the app behaves while a dependency is unreachable; or hold (the server's replies kept
 * back, as from a server that is slow to answer) and release.
 */
export interface TcpProxy {
  port: number;
  cut(): void;
  restore(): void;
  hold(): void;
  release(): void;
  stop(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  let up = true;
  let held = false;
  const open = new Set<net.Socket>();
  const replies = new Map<net.Socket, net.Socket>();
  const server = net.createServer((client) => {
    if (!up) return client.destroy();
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => (s === client ? upstream : client).destroy());
    }
    client.pipe(upstream);
    replies.set(upstream, client);
    upstream.on('close', () => replies.delete(upstream));
    if (!held) upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    cut: () => {
      up = false;
      for (const s of open) s.destroy();
    },
    restore: () => {
      up = true;
    },
    // Unpiped, a socket keeps what arrives until it is piped again.
    hold: () => {
      held = true;
      for (const [upstream, client] of replies) upstream.unpipe(client);
    },
    release: () => {
      held = false;
      for (const [upstream, client] of replies) upstream.pipe(client);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
