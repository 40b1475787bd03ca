import { PgConnection, type PgTarget } from "./pg-connection.ts";

export interface PoolOptions {
  /** Connections open at once per connection string; further requests wait for one to come back. */
  maxPerDatabase: number;
  /** An idle connection is closed after this long. */
  idleTimeoutMs: number;
  connectTimeoutMs: number;
}

interface Waiter {
  resolve(connection: PgConnection): void;
  reject(error: unknown): void;
}

interface Slot {
  target: PgTarget;
  idle: { connection: PgConnection; timer: NodeJS.Timeout }[];
  open: number;
  waiting: Waiter[];
}

/**
 * Warm connections per connection string, as Neon's proxy keeps them next to its databases: a
 * request takes an idle connection and pays neither the TCP connect nor the startup exchange.
 * A connection left inside a transaction, or closed by the server, is never handed out again.
 */
export class ConnectionPool {
  private readonly slots = new Map<string, Slot>();
  private closed = false;

  constructor(private readonly options: PoolOptions) {}

  async use<T>(key: string, target: PgTarget, work: (connection: PgConnection) => Promise<T>): Promise<T> {
    const slot = this.slotOf(key, target);
    const connection = await this.acquire(slot);
    try {
      return await work(connection);
    } finally {
      this.release(key, slot, connection);
    }
  }

  close(): void {
    this.closed = true;
    for (const slot of this.slots.values()) {
      for (const { connection, timer } of slot.idle.splice(0)) {
        clearTimeout(timer);
        connection.close();
      }
      for (const waiter of slot.waiting.splice(0)) waiter.reject(new Error("the SQL-over-HTTP endpoint is closing"));
    }
    this.slots.clear();
  }

  private slotOf(key: string, target: PgTarget): Slot {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { target, idle: [], open: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    return slot;
  }

  private acquire(slot: Slot): Promise<PgConnection> {
    if (this.closed) return Promise.reject(new Error("the SQL-over-HTTP endpoint is closing"));
    for (let entry = slot.idle.pop(); entry; entry = slot.idle.pop()) {
      clearTimeout(entry.timer);
      if (entry.connection.reusable) return Promise.resolve(entry.connection);
      this.dropped(slot);
    }
    if (slot.open < this.options.maxPerDatabase) return this.openFor(slot);
    return new Promise((resolve, reject) => slot.waiting.push({ resolve, reject }));
  }

  private openFor(slot: Slot): Promise<PgConnection> {
    slot.open += 1;
    return PgConnection.open(slot.target, this.options.connectTimeoutMs).catch((error: unknown) => {
      this.dropped(slot);
      throw error;
    });
  }

  /** A connection is gone: one waiting request may open its own in its place. */
  private dropped(slot: Slot): void {
    slot.open -= 1;
    const waiter = slot.waiting.shift();
    if (waiter) this.openFor(slot).then(waiter.resolve, waiter.reject);
  }

  private release(key: string, slot: Slot, connection: PgConnection): void {
    if (this.closed || !connection.reusable) {
      connection.close();
      this.dropped(slot);
    } else {
      const waiter = slot.waiting.shift();
      if (waiter) {
        waiter.resolve(connection);
        return;
      }
      const timer = setTimeout(() => {
        slot.idle = slot.idle.filter((entry) => entry.connection !== connection);
        connection.close();
        this.dropped(slot);
        this.forgetIfEmpty(key, slot);
      }, this.options.idleTimeoutMs);
      timer.unref();
      slot.idle.push({ connection, timer });
    }
    this.forgetIfEmpty(key, slot);
  }

  /** Test runs create and drop a database per file; their slots must not pile up. */
  private forgetIfEmpty(key: string, slot: Slot): void {
    if (slot.open === 0 && slot.waiting.length === 0 && this.slots.get(key) === slot) this.slots.delete(key);
  }
}
