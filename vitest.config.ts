import { defineConfig } from "vitest/config";

// The Node suite runs on PGlite, or on the PostgreSQL named by DATABASE_URL (each test file creates
// and drops its own database there). The workerd suites live in tests/workers/ and
// examples/edge-consumer/ with their own configs.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["tests/**/*.test.ts", "tests/**/*.test.tsx", "api/**/*.test.ts", "edge/**/*.test.ts"],
          exclude: ["tests/workers/**", "tests/e2e/**", "node_modules/**"],
          environment: "node",
          globalSetup: ["tests/support/pglite-snapshot.global.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      "tests/workers/vitest.config.ts",
      "examples/edge-consumer/vitest.config.ts",
    ],
  },
});
