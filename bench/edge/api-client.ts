export type Json = Record<string, any>;

export interface CallOptions {
  token?: string;
  json?: unknown;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  body: Json;
  /** From sending the request to the last byte of the body. */
  ms: number;
  /** New TCP connections to the database while the request ran, and the round trips they took. */
  connections: number;
  exchanges: number;
}

export interface ApiClient {
  name: string;
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
}

let addressCounter = 0;

/**
 * A visitor address of its own for every request (198.18.0.0/15 is the range set aside for
 * benchmarks), so the per-address sign-in limits never refuse the harness's hundreds of sign-ups.
 */
function nextAddress(): string {
  addressCounter += 1;
  return `198.18.${Math.floor(addressCounter / 250) % 250}.${(addressCounter % 250) + 1}`;
}

/** What the delay proxy in front of this Worker's database has seen so far. */
export type ProxyCounts = () => { connections: number; exchanges: number };

/**
 * The API at `baseUrl`, whose database traffic `counts` observes. An answer of 400 or above is an
 * error: every call the harness makes should succeed.
 */
export function apiClient(name: string, baseUrl: string, counts: ProxyCounts): ApiClient {
  return {
    name,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { "cf-connecting-ip": nextAddress(), ...options.headers };
      if (options.token) headers.Authorization = `Bearer ${options.token}`;
      if (options.json !== undefined) headers["Content-Type"] = "application/json";
      const before = counts();
      const started = performance.now();
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: options.json === undefined ? undefined : JSON.stringify(options.json),
      });
      const text = await res.text();
      const ms = performance.now() - started;
      if (res.status >= 400)
        throw new Error(`${name}: ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return {
        status: res.status,
        body: text ? (JSON.parse(text) as Json) : {},
        ms,
        connections: counts().connections - before.connections,
        exchanges: counts().exchanges - before.exchanges,
      };
    },
  };
}
