import { createConnection } from "node:net";
import { type RawData, WebSocketServer } from "ws";

export interface WsProxy {
  port: number;
  close(): Promise<void>;
}

/**
 * The WebSocket→TCP relay that Neon runs in front of its databases, for local runs of the Neon
 * driver against a plain PostgreSQL. The driver asks for `/v1?address=host:port`; only the hosts in
 * `allowedHosts` are relayed so the port cannot be used to reach anything else on the network.
 */
export function startWsProxy(
  options: { port?: number; host?: string; allowedHosts?: string[] } = {},
): Promise<WsProxy> {
  const allowed = new Set(options.allowedHosts ?? ["127.0.0.1", "localhost"]);
  const server = new WebSocketServer({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });

  server.on("connection", (socket, request) => {
    const address = new URL(request.url ?? "/", "http://relay").searchParams.get("address") ?? "";
    const separator = address.lastIndexOf(":");
    const host = address.slice(0, separator);
    const port = Number(address.slice(separator + 1));
    if (separator < 0 || !allowed.has(host) || !Number.isInteger(port)) {
      socket.close(1008, `address not allowed: ${address}`);
      return;
    }
    // No Nagle, as in front of any database: the driver's pipelined messages go out as they come.
    const tcp = createConnection({ host, port, noDelay: true });
    // Bytes from the driver may arrive before the TCP connection is up; net buffers writes until then.
    // The default binaryType ("nodebuffer") delivers each frame as one Buffer.
    socket.on("message", (data: RawData) => tcp.write(data as Buffer));
    tcp.on("data", (data) => socket.send(data));
    socket.on("close", () => tcp.end());
    tcp.on("close", () => socket.close());
    tcp.on("error", () => socket.terminate());
    socket.on("error", () => tcp.destroy());
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const client of server.clients) client.terminate();
            server.close(() => done());
          }),
      });
    });
  });
}
