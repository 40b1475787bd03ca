import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Http2Bindings, type HttpBindings, serve } from "@hono/node-server";

export interface Listening {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Serves `fetch` over HTTP/1.1 and resolves once the port is bound (port 0 picks a free one). */
export function listen(
  fetch: (request: Request, env: HttpBindings) => Response | Promise<Response>,
  port: number,
  hostname = "127.0.0.1",
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    // node:http's server (serve's default): the bindings are always HTTP/1.1's.
    const http1 = fetch as (request: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response>;
    const server = serve({ fetch: http1, port, hostname }, (info: AddressInfo) => {
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
    }) as Server;
    server.once("error", reject);
  });
}
