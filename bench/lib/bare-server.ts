// The honest ceiling for the Node entry's hottest read (bench/throughput.ts): node:http, jose and pg
// doing only what GET /api/user/subscription cannot skip. It verifies the same ES256 access token
// with the same checks (algorithm, key by kid, issuer, audience, exp and iat present, on every
// request: nothing is cached), runs the statements the endpoint sends (captured from the app, same
// text, same statement names, parameters taken from the verified token) on a pool of the entry's
// size, and answers the row as JSON. Run as its own process, like the entry it is compared with.
import { createServer } from "node:http";
import { importJWK, type JWK, type JWTPayload, jwtVerify } from "jose";
import pg from "pg";
import { JWT_AUDIENCE, JWT_ISSUER } from "../../api/lib/tokens/claims.ts";
import { SIGNING_ALG } from "../../api/lib/tokens/signing-keys.ts";

/** A parameter of a captured statement: a literal, or the claim of the verified token it came from. */
export type BareValue = { literal: unknown } | { claim: "user_id" | "sid" };

export interface BareStatement {
  name?: string;
  text: string;
  values: BareValue[];
}

export interface BareServerConfig {
  port: number;
  databaseUrl: string;
  poolSize: number;
  path: string;
  /** The public JWK with its kid. */
  publicJwk: JWK & { kid: string };
  statements: BareStatement[];
}

const BEARER = /^Bearer +([A-Za-z0-9\-_.]+)$/i;

function send(res: import("node:http").ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

async function serve(config: BareServerConfig): Promise<void> {
  const publicKey = await importJWK(config.publicJwk, SIGNING_ALG);
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.poolSize });
  pool.on("error", () => {});
  const verify = (token: string) =>
    jwtVerify(
      token,
      (header) => {
        if (header.kid !== config.publicJwk.kid) throw new Error("unknown key");
        return publicKey;
      },
      { algorithms: [SIGNING_ALG], issuer: JWT_ISSUER, audience: JWT_AUDIENCE, requiredClaims: ["exp", "iat"] },
    );
  const fill = (value: BareValue, payload: JWTPayload) => ("claim" in value ? payload[value.claim] : value.literal);

  const server = createServer(async (req, res) => {
    if (req.method !== "GET" || req.url !== config.path) return send(res, 404, { success: false });
    const token = BEARER.exec(req.headers.authorization?.trim() ?? "")?.[1];
    let payload: JWTPayload;
    try {
      if (!token) throw new Error("no token");
      ({ payload } = await verify(token));
    } catch {
      return send(res, 401, { success: false, error: { code: "invalid_token", message: "The token is not valid." } });
    }
    try {
      let rows: unknown[] = [];
      for (const statement of config.statements) {
        const values = statement.values.map((value) => fill(value, payload));
        ({ rows } = await pool.query({ name: statement.name, text: statement.text, values }));
      }
      if (!rows[0]) return send(res, 401, { success: false, error: { code: "invalid_token", message: "Gone." } });
      send(res, 200, { success: true, subscription: rows[0] });
    } catch {
      send(res, 500, { success: false });
    }
  });
  server.listen(config.port, "127.0.0.1", () => process.send?.("listening"));
  process.on("SIGTERM", () => {
    server.close();
    server.closeAllConnections();
    void pool.end();
  });
}

await serve(JSON.parse(process.env.BARE_SERVER_CONFIG ?? "{}") as BareServerConfig);
