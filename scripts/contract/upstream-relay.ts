import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The header naming the local port of the test app a proxied request is for. */
export const UPSTREAM_HEADER = "x-contract-upstream";

/**
 * Prism proxies to one upstream, but every test file runs its own app (own database, own clock).
 * This relay is that one upstream: it forwards each request, byte for byte, to the app on
 * 127.0.0.1:<X-Contract-Upstream>.
 */
export async function startUpstreamRelay(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const port = Number(incoming.headers[UPSTREAM_HEADER]);
    if (!Number.isInteger(port) || port <= 0) {
      outgoing.writeHead(502, { "Content-Type": "text/plain" }).end(`missing ${UPSTREAM_HEADER}`);
      return;
    }
    const headers = { ...incoming.headers };
    delete headers[UPSTREAM_HEADER];
    const forwarded = request(
      { host: "127.0.0.1", port, method: incoming.method, path: incoming.url, headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", (error) => outgoing.writeHead(502).end(String(error)));
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
