import { randomBytes } from "node:crypto";
import { connect, createServer, type Server, Socket } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type DelayProxy, type ProxyClock, startDelayProxy } from "../../bench/edge/delay-proxy.ts";

/** Time moves only when the test advances it; timers due by then run in deadline order. */
function manualClock(): ProxyClock & { advance(ms: number): void } {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  return {
    now: () => now,
    setTimeout: (run, ms) => {
      nextId += 1;
      timers.set(nextId, { at: now + ms, run });
      return nextId;
    },
    clearTimeout: (handle) => {
      timers.delete(handle as number);
    },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].run();
      }
      now = until;
    },
  };
}

/** A server that keeps a copy of what it receives and echoes it, or answers "ok" per question in `questions` mode. */
async function echoServer(
  mode: "echo" | "questions" = "echo",
): Promise<{ server: Server; port: number; received: () => Buffer }> {
  const chunks: Buffer[] = [];
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (mode === "echo") socket.write(chunk);
      else for (const _ of chunk.toString().matchAll(/\?/g)) socket.write("ok");
    });
    socket.on("end", () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    server,
    port: typeof address === "object" && address ? address.port : 0,
    received: () => Buffer.concat(chunks),
  };
}

function collect(socket: Socket): () => Buffer {
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks);
}

const open: { proxy?: DelayProxy; server?: Server; client?: Socket } = {};

afterEach(async () => {
  open.client?.destroy();
  await open.proxy?.close();
  await new Promise<void>((resolve) => (open.server ? open.server.close(() => resolve()) : resolve()));
});

async function setUp(rttMs: number, clock?: ProxyClock, mode: "echo" | "questions" = "echo") {
  const echo = await echoServer(mode);
  open.server = echo.server;
  open.proxy = await startDelayProxy({ target: { host: "127.0.0.1", port: echo.port }, rttMs, clock });
  const client = connect({ host: "127.0.0.1", port: open.proxy.port });
  open.client = client;
  await new Promise<void>((resolve) => client.once("connect", () => resolve()));
  return { echo, proxy: open.proxy, client, clientReceived: collect(client) };
}

describe("the delay proxy", () => {
  it("turns Nagle off on both of its sockets, so a second small chunk does not wait for a delayed ACK", async () => {
    // With Nagle on, admin reads whose answer left PostgreSQL in two writes measured 2 round trips
    // at 40 ms (the receiver's 40 ms delayed ACK), though the distance added one.
    const noDelay = vi.spyOn(Socket.prototype, "setNoDelay");
    try {
      const { client, clientReceived } = await setUp(0);
      client.write("ping");
      await vi.waitFor(() => expect(clientReceived().toString()).toBe("ping"));
      const proxySockets = noDelay.mock.contexts.filter((socket) => socket !== client);
      expect(proxySockets).toHaveLength(2);
      expect(noDelay.mock.calls.filter((_, i) => noDelay.mock.contexts[i] !== client)).toEqual([[true], [true]]);
    } finally {
      noDelay.mockRestore();
    }
  });

  it("holds a new connection's first bytes for the handshake round trip plus half a round trip", async () => {
    const clock = manualClock();
    const { echo, proxy, client, clientReceived } = await setUp(40, clock);
    // The proxy accepted the connection at time 0; its bytes may not reach the server before 40 + 20.
    client.write("startup");
    await vi.waitFor(() => expect(proxy.stats().receivedUp).toBe(7));

    clock.advance(59);
    expect(proxy.stats().forwardedUp).toBe(0);
    clock.advance(1);
    expect(proxy.stats().forwardedUp).toBe(7);
    await vi.waitFor(() => expect(echo.received().toString()).toBe("startup"));

    // The answer travels back in half a round trip: no handshake charge on the way down.
    await vi.waitFor(() => expect(proxy.stats().receivedDown).toBe(7));
    clock.advance(19);
    expect(proxy.stats().forwardedDown).toBe(0);
    clock.advance(1);
    expect(proxy.stats().forwardedDown).toBe(7);
    await vi.waitFor(() => expect(clientReceived().toString()).toBe("startup"));
    expect(proxy.stats().connections).toBe(1);
  });

  it("gives each chunk its own deadline from its arrival, so a burst is not delayed more than one chunk", async () => {
    const clock = manualClock();
    const { echo, proxy, client } = await setUp(40, clock);
    client.write("a");
    await vi.waitFor(() => expect(proxy.stats().receivedUp).toBe(1));
    clock.advance(60);
    await vi.waitFor(() => expect(echo.received().toString()).toBe("a"));

    // Past the handshake: "b" arrives at 60 and leaves at 80, "c" arrives at 70 and leaves at 90.
    client.write("b");
    await vi.waitFor(() => expect(proxy.stats().receivedUp).toBe(2));
    clock.advance(10);
    client.write("c");
    await vi.waitFor(() => expect(proxy.stats().receivedUp).toBe(3));
    clock.advance(10);
    expect(proxy.stats().forwardedUp).toBe(2);
    clock.advance(9);
    expect(proxy.stats().forwardedUp).toBe(2);
    clock.advance(1);
    expect(proxy.stats().forwardedUp).toBe(3);
    await vi.waitFor(() => expect(echo.received().toString()).toBe("abc"));
  });

  it("delivers every byte in order, and the client's end after them", async () => {
    const { echo, client, clientReceived } = await setUp(0);
    const payload = randomBytes(1 << 20);
    for (let offset = 0; offset < payload.length; offset += 1000) client.write(payload.subarray(offset, offset + 1000));
    client.end();
    await new Promise<void>((resolve) => client.once("end", () => resolve()));
    expect(echo.received().equals(payload)).toBe(true);
    expect(clientReceived().equals(payload)).toBe(true);
  });

  it("charges the handshake to every new connection, not once per proxy", async () => {
    const clock = manualClock();
    const { echo, proxy, client } = await setUp(40, clock);
    client.write("1");
    await vi.waitFor(() => expect(proxy.stats().receivedUp).toBe(1));
    clock.advance(100);
    await vi.waitFor(() => expect(echo.received().toString()).toBe("1"));

    const second = connect({ host: "127.0.0.1", port: proxy.port });
    await new Promise<void>((resolve) => second.once("connect", () => resolve()));
    second.write("2");
    await vi.waitFor(() => expect(proxy.stats().receivedUp).toBe(2));
    clock.advance(59);
    expect(proxy.stats().forwardedUp).toBe(1);
    clock.advance(1);
    expect(proxy.stats().forwardedUp).toBe(2);
    await vi.waitFor(() => expect(echo.received().toString()).toBe("12"));
    expect(proxy.stats().connections).toBe(2);
    second.destroy();
  });

  it("counts the handshake and every burst the server answered as exchanges, not a message left unanswered", async () => {
    const clock = manualClock();
    const { echo, proxy, client, clientReceived } = await setUp(40, clock, "questions");
    // Two questions sent back to back (pipelined) wait for one answer: one exchange after the handshake.
    client.write("a?");
    client.write("b?");
    await vi.waitFor(() => expect(proxy.stats().receivedUp).toBe(4));
    clock.advance(60);
    await vi.waitFor(() => expect(proxy.stats().receivedDown).toBe(4));
    expect(proxy.stats().exchanges).toBe(2);
    clock.advance(20);
    await vi.waitFor(() => expect(clientReceived().toString()).toBe("okok"));

    client.write("bye");
    await vi.waitFor(() => expect(proxy.stats().receivedUp).toBe(7));
    clock.advance(20);
    await vi.waitFor(() => expect(echo.received().toString()).toBe("a?b?bye"));
    expect(proxy.stats().exchanges).toBe(2);

    client.write("c?");
    await vi.waitFor(() => expect(proxy.stats().receivedUp).toBe(9));
    clock.advance(20);
    await vi.waitFor(() => expect(proxy.stats().receivedDown).toBe(6));
    expect(proxy.stats().exchanges).toBe(3);
  });
});
