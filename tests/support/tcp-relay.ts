import { createConnection, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP relay in front of a database server that a test can take down and bring back on the same
 * port: `down()` refuses new connections and cuts open ones (a crashed or restarting server),
 * `blackhole()` accepts connections and never answers (a network that drops packets).
 */
export interface TcpRelay {
  port: number;
  down(): Promise<void>;
  blackhole(): Promise<void>;
  /** Goes down the moment a client sends bytes containing `text` (e.g. mid-transaction). */
  downWhenSent(text: string): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpRelay(target: { host: string; port: number }): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  let mode: "relay" | "blackhole" = "relay";
  let server: Server | undefined;
  let port = 0;
  let trigger: { text: string; fired: () => void } | undefined;

  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const next = createServer((client) => {
        track(client);
        if (mode === "blackhole") return;
        const upstream = createConnection(target);
        track(upstream);
        client.on("data", (chunk: Buffer) => {
          if (trigger && chunk.includes(trigger.text)) {
            const { fired } = trigger;
            trigger = undefined;
            void stop().then(fired);
            return;
          }
          upstream.write(chunk);
        });
        upstream.pipe(client);
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => {
        const address = next.address();
        if (typeof address === "object" && address) port = address.port;
        server = next;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      cutAll();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  await listen();
  return {
    get port() {
      return port;
    },
    down: stop,
    blackhole: async () => {
      await stop();
      mode = "blackhole";
      await listen();
    },
    downWhenSent: (text) =>
      new Promise<void>((resolve) => {
        trigger = { text, fired: resolve };
      }),
    up: async () => {
      await stop();
      mode = "relay";
      await listen();
    },
    close: stop,
  };
}
