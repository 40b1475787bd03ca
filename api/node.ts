import { startupBanner } from "./server/banner.ts";
import { runMain } from "./server/run-main.ts";
import { apiSettingsFromEnv } from "./server/settings.ts";
import { closeOnSignals } from "./server/shutdown.ts";
import { startApiServer } from "./server/start-api-server.ts";

// The API alone on Node (`npm run start:api`); `npm start` runs it together with the web app.
runMain(async () => {
  const settings = apiSettingsFromEnv(process.env);
  const api = await startApiServer(settings);
  console.log(startupBanner(settings, { api: api.url }));
  closeOnSignals(api.close);
});
