import { createConnection, createServer, type Socket } from "node:net";

/** Where the proxy reads the time and schedules releases; a test passes a manual one. */
export interface ProxyClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: ProxyClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * What passed through: connections, bytes received from each side and released to the other after
 * the delay, and exchanges: the round trips the conversation needed (each connection's handshake,
 * and every burst from the client that the server answered), whatever the delay.
 */
export interface DelayStats {
  connections: number;
  exchanges: number;
  receivedUp: number;
  forwardedUp: number;
  receivedDown: number;
  forwardedDown: number;
}

export interface DelayProxy {
  port: number;
  rttMs: number;
  stats(): DelayStats;
  close(): Promise<void>;
}

export interface DelayProxyOptions {
  target: { host: string; port: number };
  /** Round-trip time added between the client and the target, half each way. */
  rttMs: number;
  port?: number;
  host?: string;
  clock?: ProxyClock;
}

type Item = { releaseAt: number; chunk: Buffer } | { releaseAt: number; end: true };

/**
 * One direction of a connection: every item keeps the release time it got on arrival, so a burst is
 * not delayed more than a single chunk (no sleep per chunk adding up), and items leave in arrival
 * order because only the head of the queue has a timer.
 */
function delayedLane(clock: ProxyClock, write: (chunk: Buffer) => void, end: () => void) {
  const queue: Item[] = [];
  let timer: unknown;
  const release = () => {
    timer = undefined;
    const now = clock.now();
    while (queue.length && (queue[0] as Item).releaseAt <= now) {
      const item = queue.shift() as Item;
      if ("end" in item) end();
      else write(item.chunk);
    }
    schedule();
  };
  const schedule = () => {
    const head = queue[0];
    if (head && timer === undefined) timer = clock.setTimeout(release, Math.max(0, head.releaseAt - clock.now()));
  };
  return {
    push(item: Item) {
      queue.push(item);
      schedule();
    },
    cancel() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      queue.length = 0;
    },
  };
}

/**
 * A TCP proxy that puts `target` (PostgreSQL) at a distance: each chunk reaches the other side RTT/2
 * after it arrived, and a new connection pays one RTT (the TCP handshake) before its first byte gets
 * through, so whatever connects through it pays the round trips it would pay to a far database.
 */
export function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  const clock = options.clock ?? realClock;
  const half = options.rttMs / 2;
  const totals: DelayStats = {
    connections: 0,
    exchanges: 0,
    receivedUp: 0,
    forwardedUp: 0,
    receivedDown: 0,
    forwardedDown: 0,
  };
  const sockets = new Set<Socket>();

  // Half-open on both sides, so a FIN travels with the same delay as the bytes before it.
  const server = createServer({ allowHalfOpen: true }, (client) => {
    totals.connections += 1;
    totals.exchanges += 1;
    // Counted when the answer comes, so a last message nobody answers (Terminate) is no round trip.
    let awaitingAnswer = false;
    const connectedAt = clock.now() + options.rttMs;
    const upstream = createConnection({ ...options.target, allowHalfOpen: true });
    for (const socket of [client, upstream]) {
      // No Nagle: a second small chunk released while the first is unacknowledged would otherwise wait
      // for the receiver's delayed ACK (40 ms on Linux), a round trip the distance did not add.
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    }
    const up = delayedLane(
      clock,
      (chunk) => {
        totals.forwardedUp += chunk.length;
        upstream.write(chunk);
      },
      () => upstream.end(),
    );
    const down = delayedLane(
      clock,
      (chunk) => {
        totals.forwardedDown += chunk.length;
        client.write(chunk);
      },
      () => client.end(),
    );
    // Nothing the client sends leaves before the handshake would have completed.
    const upAt = () => Math.max(clock.now(), connectedAt) + half;
    const downAt = () => clock.now() + half;
    client.on("data", (chunk: Buffer) => {
      totals.receivedUp += chunk.length;
      awaitingAnswer = true;
      up.push({ releaseAt: upAt(), chunk });
    });
    upstream.on("data", (chunk: Buffer) => {
      totals.receivedDown += chunk.length;
      if (awaitingAnswer) totals.exchanges += 1;
      awaitingAnswer = false;
      down.push({ releaseAt: downAt(), chunk });
    });
    client.on("end", () => up.push({ releaseAt: upAt(), end: true }));
    upstream.on("end", () => down.push({ releaseAt: downAt(), end: true }));
    const cut = () => {
      up.cancel();
      down.cancel();
      client.destroy();
      upstream.destroy();
    };
    client.on("error", cut);
    upstream.on("error", cut);
    client.on("close", () => {
      if (!client.readableEnded) cut();
    });
    upstream.on("close", () => {
      if (!upstream.readableEnded) cut();
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      const address = server.address();
      resolve({
        port: typeof address === "object" && address ? address.port : 0,
        rttMs: options.rttMs,
        stats: () => ({ ...totals }),
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
