import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The example Worker as deployed (its own wrangler.toml) inside workerd, pointed at the tierkit API
// that test/global-setup.ts starts on this machine (its JWKS at /.well-known/jwks.json).
export default defineProject({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: here("src/index.ts"),
      wrangler: { configPath: here("wrangler.toml") },
      miniflare: {
        bindings: {
          TIERKIT_URL: inject("tierkitUrl"),
          TIERKIT_SERVICE_KEY: inject("serviceKey"),
        },
      },
    })),
  ],
  test: {
    name: "edge-consumer",
    root: here("."),
    include: ["test/**/*.test.ts"],
    globalSetup: [here("test/global-setup.ts")],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
