import type { TestProject } from "vitest/node";
import { startWsProxy } from "../../scripts/ws-proxy.ts";
import { createTestDatabase } from "../support/test-db.ts";

const SKIP_MESSAGE =
  "workerd tests skipped: set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run the fetch and cron tests";

/**
 * workerd cannot open TCP to PostgreSQL the way Neon's driver needs, so the tests reach a real server
 * through the same WebSocket relay `npm run dev:worker` uses, on a database created for this run.
 */
export default async function setup(project: TestProject) {
  if (!process.env.DATABASE_URL) {
    console.log(SKIP_MESSAGE);
    project.provide("workerDatabaseUrl", "");
    project.provide("wsProxyPort", 0);
    return;
  }
  const database = await createTestDatabase({ max: 1 });
  const url = database.url as string;
  const proxy = await startWsProxy({ allowedHosts: [new URL(url).hostname] });
  project.provide("workerDatabaseUrl", url);
  project.provide("wsProxyPort", proxy.port);
  return async () => {
    await proxy.close();
    await database.close();
  };
}
