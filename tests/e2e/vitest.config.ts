import { defineConfig } from "vitest/config";

// One browser suite, run by `npm run test:e2e`: it builds the web app, starts the API and the web
// server in this process over a fresh database and drives Debian's Chromium.
export default defineConfig({
  test: {
    name: "e2e",
    root: new URL("../..", import.meta.url).pathname,
    include: ["tests/e2e/**/*.e2e.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
