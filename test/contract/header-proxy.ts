import * as http from 'http';
import * as net from 'net';

/**
 * A reverse proxy on 127.0.0.1 that adds response headers to every response and removes `server`,
 * as the load balancer's listener attributes do, and passes WebSocket upgrades through. Bodies
 * stream, so server-sent events and long polls behave as behind the load balancer.
 *
 * Behind the load balancer the browser's origin is the public URL Open WebUI is configured with
 * (WEBUI_URL, CORS_ALLOW_ORIGIN); here Open WebUI was configured with its own address, so the
 * proxy presents requests from its own origin as coming from that address (Host and Origin).
 */
export async function startHeaderProxy(target: string, headers: Record<string, string>): Promise<{ url: string; close: () => Promise<void> }> {
  const upstream = new URL(target);
  const rewrite = (incoming: http.IncomingHttpHeaders): http.IncomingHttpHeaders => ({
    ...incoming,
    host: upstream.host,
    ...(incoming.origin !== undefined ? { origin: upstream.origin } : {}),
  });
  const server = http.createServer((req, res) => {
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: rewrite(req.headers) },
      (answer) => {
        const merged: http.OutgoingHttpHeaders = { ...answer.headers, ...headers };
        delete merged.server;
        res.writeHead(answer.statusCode ?? 502, merged);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('upgrade', (req, socket, head) => {
    const upstreamSocket = net.connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`, ...Object.entries(rewrite(req.headers)).map(([k, v]) => `${k}: ${v}`), '', ''];
      upstreamSocket.write(lines.join('\r\n'));
      upstreamSocket.write(head);
      socket.pipe(upstreamSocket).pipe(socket);
    });
    upstreamSocket.on('error', () => socket.destroy());
    socket.on('error', () => upstreamSocket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
