import type { TestProject } from "vitest/node";
import { startNeonHttp } from "../../scripts/neon-http.ts";
import { startWsProxy } from "../../scripts/ws-proxy.ts";
import { createTestDatabase } from "../support/test-db.ts";

const SKIP_MESSAGE =
  "workerd tests skipped: set DATABASE_URL to a PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres) to run the fetch and cron tests";

/**
 * workerd cannot open TCP to PostgreSQL the way Neon's driver needs, so the tests reach a real server
 * through what `npm run dev:worker` starts in Neon's place, on a database created for this run: the
 * SQL-over-HTTP endpoint (every query) and the WebSocket relay (interactive transactions).
 */
export default async function setup(project: TestProject) {
  if (!process.env.DATABASE_URL) {
    console.log(SKIP_MESSAGE);
    project.provide("workerDatabaseUrl", "");
    project.provide("wsProxyPort", 0);
    project.provide("neonHttpPort", 0);
    return;
  }
  const database = await createTestDatabase({ max: 1 });
  const url = database.url as string;
  const allowedHosts = [new URL(url).hostname];
  const [proxy, endpoint] = await Promise.all([startWsProxy({ allowedHosts }), startNeonHttp({ allowedHosts })]);
  project.provide("workerDatabaseUrl", url);
  project.provide("wsProxyPort", proxy.port);
  project.provide("neonHttpPort", endpoint.port);
  return async () => {
    await Promise.all([proxy.close(), endpoint.close()]);
    await database.close();
  };
}
