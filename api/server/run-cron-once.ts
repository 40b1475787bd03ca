import { openDatabase } from "../../db/client/open.ts";
import { runScheduledPass, type ScheduledPassResult } from "../services/scheduled-pass.ts";

/** One lifecycle pass outside Workers, for a system cron or a manual catch-up (`npm run cron`). */
export async function runCronOnce(options: {
  databaseUrl?: string;
  dataDir?: string;
  now?: Date;
  batchSize?: number;
  maxBatches?: number;
}): Promise<ScheduledPassResult> {
  const handle = await openDatabase({ url: options.databaseUrl, dataDir: options.dataDir });
  try {
    return await runScheduledPass(handle.db, {
      now: options.now ?? new Date(),
      batchSize: options.batchSize ?? 500,
      maxBatches: options.maxBatches ?? 20,
    });
  } finally {
    await handle.close();
  }
}
