import { createConnection, createServer, type Socket } from "node:net";

export interface TurnCountingRelay {
  port: number;
  /** Times the client started sending again after the server had answered: its round trips. */
  turns: number;
  close(): Promise<void>;
}

/**
 * A TCP relay in front of PostgreSQL that counts the client's turns. A client that waits for each
 * answer before sending the next statement takes one turn per statement; one that pipelines a
 * batch takes one turn for all of it, which is what a batch costs at a distance.
 */
export function startTurnCountingRelay(target: { host: string; port: number }): Promise<TurnCountingRelay> {
  const sockets = new Set<Socket>();
  const relay = { port: 0, turns: 0, close: () => Promise.resolve() };
  const server = createServer((client) => {
    const upstream = createConnection(target);
    let serverSpokeLast = true;
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.on("data", (chunk: Buffer) => {
      if (serverSpokeLast) relay.turns += 1;
      serverSpokeLast = false;
      upstream.write(chunk);
    });
    upstream.on("data", (chunk: Buffer) => {
      serverSpokeLast = true;
      client.write(chunk);
    });
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  relay.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      relay.port = typeof address === "object" && address ? address.port : 0;
      resolve(relay);
    });
  });
}
