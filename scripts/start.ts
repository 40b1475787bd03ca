import type { ServerBuild } from "@remix-run/node";
import { startupBanner } from "../api/server/banner.ts";
import { resolveSecret } from "../api/server/dev-secret.ts";
import type { Listening } from "../api/server/listen.ts";
import { LOCAL_DATA_DIR } from "../api/server/local-data.ts";
import { runMain } from "../api/server/run-main.ts";
import { apiSettingsFromEnv, portFromEnv } from "../api/server/settings.ts";
import { closeOnSignals } from "../api/server/shutdown.ts";
import { startApiServer } from "../api/server/start-api-server.ts";
import { ensureWebBuild } from "./web/build.ts";
import { loadWebBuild, serveWebBuild, serveWebUnavailable } from "./web/server.ts";

const DEFAULT_WEB_PORT = 3000;

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `npm start`: the API (as api/node.ts runs it) and the Remix web app in one process, one Ctrl-C. */
runMain(async () => {
  const env = process.env;
  const settings = apiSettingsFromEnv(env);
  const webPort = portFromEnv(env, "WEB_PORT", DEFAULT_WEB_PORT);
  const production = env.NODE_ENV === "production";

  // The API is useful on its own, so a web app that does not build is reported, not fatal.
  let webProblem: string | undefined;
  try {
    await ensureWebBuild();
  } catch (error) {
    webProblem = reasonOf(error);
  }

  // Links the API hands out (seat invitations) lead to this web app unless APP_ORIGIN says otherwise.
  settings.appOrigin ??= `http://localhost:${webPort}`;
  const api = await startApiServer(settings);
  // The web app calls the API server-side; loopback by address avoids a localhost → ::1 miss.
  env.API_URL = `http://127.0.0.1:${api.port}`;
  env.SESSION_SECRET = resolveSecret({
    name: "SESSION_SECRET",
    value: env.SESSION_SECRET,
    production,
    file: `${LOCAL_DATA_DIR}session-secret`,
  });

  let build: ServerBuild | undefined;
  if (!webProblem) {
    try {
      build = await loadWebBuild();
    } catch (error) {
      webProblem = `the build in web/build does not load (${reasonOf(error)})`;
    }
  }
  let web: Listening;
  try {
    web = build
      ? await serveWebBuild(build, webPort, settings.hostname)
      : await serveWebUnavailable(webProblem as string, webPort, settings.hostname);
  } catch (error) {
    await api.close();
    throw error;
  }

  console.log(startupBanner(settings, { api: api.url, web: webProblem ? `${web.url} (NOT running, see below)` : web.url }));
  if (webProblem) console.error(`✖ The web app is NOT running: ${webProblem}.\n  ${web.url} explains this; run \`npm run build:web\` to see the errors.\n`);
  closeOnSignals(async () => {
    await web.close();
    await api.close();
  });
});
