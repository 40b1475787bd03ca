import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runMain } from "../api/server/run-main.ts";
import { localSigningKeys } from "../api/server/signing-keys.ts";
import { startNeonHttp } from "./neon-http.ts";
import { startWsProxy } from "./ws-proxy.ts";

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Keeps wrangler from phoning home (telemetry, the `cf` object) so it runs offline. */
const OFFLINE_WRANGLER_ENV = {
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  XDG_CONFIG_HOME: `${REPO_ROOT}.wrangler-home`,
};

// `npm run dev:worker [-- wrangler dev flags]`: the Worker in the local workerd runtime against a plain
// PostgreSQL. A plain PostgreSQL speaks neither of the Neon driver's protocols, so the two things Neon's
// proxy does stand in its place: the SQL-over-HTTP endpoint (every query) and the WebSocket relay (the Pool
// that interactive transactions open).
runMain(async () => {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    throw new Error(
      "DATABASE_URL is not set. The Worker needs PostgreSQL, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/tierkit npm run dev:worker (run npm run db:migrate with the same URL first).",
    );
  }
  // The same local key as `npm start`, so tokens from either verify with the other.
  const signingKeys = process.env.JWT_SIGNING_KEYS || JSON.stringify(localSigningKeys());
  const database = new URL(databaseUrl);
  const proxy = await startWsProxy({ allowedHosts: [database.hostname] });
  const http = await startNeonHttp({ allowedHosts: [database.hostname] });
  console.log(`Neon SQL-over-HTTP endpoint on 127.0.0.1:${http.port} → ${database.host}`);
  console.log(`WebSocket relay for the Neon driver on 127.0.0.1:${proxy.port} → ${database.host}`);

  const vars: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    JWT_SIGNING_KEYS: signingKeys,
    NEON_WS_PROXY: `127.0.0.1:${proxy.port}`,
    NEON_HTTP_ENDPOINT: `127.0.0.1:${http.port}`,
  };
  if (process.env.JWT_SECRET) vars.JWT_SECRET = process.env.JWT_SECRET;
  if (process.env.ACCESS_TOKEN_TTL) vars.ACCESS_TOKEN_TTL = process.env.ACCESS_TOKEN_TTL;
  const args = ["dev", "--test-scheduled", "--port", process.env.PORT || "8787"];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  args.push(...process.argv.slice(2));

  const wrangler = spawn(`${REPO_ROOT}node_modules/.bin/wrangler`, args, {
    cwd: REPO_ROOT,
    stdio: "inherit",
    env: { ...process.env, ...OFFLINE_WRANGLER_ENV },
  });
  // Ctrl-C reaches wrangler too (same process group); this process only waits and cleans up.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => wrangler.kill(signal));
  const code = await new Promise<number>((resolve) => wrangler.on("exit", (exitCode) => resolve(exitCode ?? 1)));
  await Promise.all([proxy.close(), http.close()]);
  process.exit(code);
});
