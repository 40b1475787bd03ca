import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export interface Listening {
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * node:http's server with `headers` on every response, set on Node's response object before the
 * app writes its own (which win on a clash, as writeHead's headers do).
 */
function withHeaders(headers: ReadonlyArray<readonly [string, string]>): typeof createServer {
  return ((options: Parameters<typeof createServer>[0], listener: Parameters<typeof createServer>[1]) =>
    createServer(options, (req, res) => {
      for (const [name, value] of headers) res.setHeader(name, value);
      listener?.(req, res);
    })) as typeof createServer;
}

/**
 * Serves `fetch` over HTTP/1.1 and resolves once the port is bound (port 0 picks a free one);
 * `headers` go on every response.
 */
export function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  hostname = "127.0.0.1",
  headers?: ReadonlyArray<readonly [string, string]>,
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch, port, hostname, createServer: headers?.length ? withHeaders(headers) : undefined },
      (info: AddressInfo) => {
        server.off("error", reject);
        resolve({
          port: info.port,
          url: `http://localhost:${info.port}`,
          close: () =>
            new Promise<void>((done, fail) => {
              server.close((error) => (error ? fail(error) : done()));
              // Keep-alive connections from browsers would otherwise hold the shutdown open.
              (server as Server).closeAllConnections();
            }),
        });
      },
    ) as Server;
    server.once("error", reject);
  });
}
