import { defineConfig } from "vitest/config";

// The Node suite runs on PGlite, or on the PostgreSQL named by DATABASE_URL (each test file creates
// and drops its own database there). The workerd suite lives in tests/workers/ with its own config.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["tests/**/*.test.ts", "tests/**/*.test.tsx", "api/**/*.test.ts", "edge/**/*.test.ts"],
          exclude: ["tests/workers/**", "tests/e2e/**", "node_modules/**"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      "tests/workers/vitest.config.ts",
    ],
  },
});
