import { LOCAL_PGLITE_DIR } from "../api/server/local-data.ts";
import { runCronOnce } from "../api/server/run-cron-once.ts";
import { runMain } from "../api/server/run-main.ts";
import { describeDatabase } from "../api/server/settings.ts";

// `npm run cron`: one pass against DATABASE_URL (or the local PGlite folder, with `npm start` stopped).
runMain(async () => {
  const target = { databaseUrl: process.env.DATABASE_URL || undefined, dataDir: LOCAL_PGLITE_DIR };
  const now = new Date();
  const result = await runCronOnce({ ...target, now });
  console.log(
    JSON.stringify({ msg: "cron.processed", database: describeDatabase(target), now: now.toISOString(), ...result }),
  );
  if (result.more) {
    console.log(
      `The pass stopped (${result.stoppedBy}) with rows still due; run it again (or let the schedule do so).`,
    );
  }
});
