import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The floor for the short-link path: Node's own HTTP server answering every request with a 301 and nothing else. */
export function bare301Server(location: string): Server {
  return createServer((_req, res) => {
    res.writeHead(301, { location, 'cache-control': 'public, max-age=3600', 'content-type': 'text/plain; charset=utf-8', 'content-length': '0' });
    res.end();
  });
}

/** The floor for a publish: Node's own HTTP server reading the whole request body and answering 201. */
export function bare201Server(): Server {
  return createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = '{"id":"bare","url":"http://127.0.0.1/x/","shortUrl":"http://127.0.0.1/s/x","version":1}';
      res.writeHead(201, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) });
      res.end(body);
    });
  });
}

export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
