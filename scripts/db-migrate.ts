import { LOCAL_PGLITE_DIR } from "../api/server/local-data.ts";
import { runMain } from "../api/server/run-main.ts";
import { describeDatabase } from "../api/server/settings.ts";
import { openDatabase } from "../db/client/open.ts";

// `npm run db:migrate`: applies db/migrations to DATABASE_URL, or to the local PGlite folder when unset.
runMain(async () => {
  const target = { databaseUrl: process.env.DATABASE_URL || undefined, dataDir: LOCAL_PGLITE_DIR };
  const handle = await openDatabase({ url: target.databaseUrl, dataDir: target.dataDir });
  try {
    await handle.migrate();
  } finally {
    await handle.close();
  }
  console.log(`Migrations applied: ${describeDatabase(target)}`);
});
