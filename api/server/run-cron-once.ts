import { openDatabase } from "../../db/client/open.ts";
import { runScheduledPass, type ScheduledPassResult } from "../services/scheduled-pass.ts";

/**
 * One lifecycle pass outside Workers, for a system cron or a manual catch-up (`npm run cron`): the
 * same budgeted drain as a Workers trigger, so a pass that stops at its budget says so.
 */
export async function runCronOnce(options: {
  databaseUrl?: string;
  dataDir?: string;
  now?: Date;
}): Promise<ScheduledPassResult> {
  const handle = await openDatabase({ url: options.databaseUrl, dataDir: options.dataDir });
  try {
    return await runScheduledPass(handle.db, { now: options.now ?? new Date() });
  } finally {
    await handle.close();
  }
}
