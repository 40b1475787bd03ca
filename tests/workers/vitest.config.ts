import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";
import { generateSigningJwk } from "../../api/server/signing-keys.ts";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The Worker as deployed (wrangler.toml: entry, compatibility date and flags) inside workerd, talking
// to the PostgreSQL of DATABASE_URL through the endpoint and relay started by global-setup.ts.
export default defineProject({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: here("../../api/worker.ts"),
      wrangler: { configPath: here("../../wrangler.toml") },
      miniflare: {
        bindings: {
          DATABASE_URL: inject("workerDatabaseUrl"),
          JWT_SIGNING_KEYS: JSON.stringify([generateSigningJwk()]),
          NEON_WS_PROXY: `localhost:${inject("wsProxyPort")}`,
          NEON_HTTP_ENDPOINT: `127.0.0.1:${inject("neonHttpPort")}`,
        },
      },
    })),
  ],
  test: {
    name: "workers",
    root: here("."),
    include: ["**/*.test.ts"],
    globalSetup: [here("global-setup.ts")],
    testTimeout: 30_000,
  },
});
