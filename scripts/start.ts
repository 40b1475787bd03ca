import { randomBytes } from "node:crypto";
import type { ServerBuild } from "@remix-run/node";
import { startupBanner } from "../api/server/banner.ts";
import { resolveSecret } from "../api/server/dev-secret.ts";
import type { Listening } from "../api/server/listen.ts";
import { LOCAL_DATA_DIR } from "../api/server/local-data.ts";
import { runMain } from "../api/server/run-main.ts";
import { apiServerOptions, isProduction } from "../api/server/settings.ts";
import { closeOnSignals } from "../api/server/shutdown.ts";
import { startApiServer } from "../api/server/start-api-server.ts";
import { parseStartSettings } from "./start-settings.ts";
import { ensureWebBuild } from "./web/build.ts";
import { loadWebBuild, serveWebBuild, serveWebUnavailable } from "./web/server.ts";

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** `npm start`: the API (as api/node.ts runs it) and the Remix web app in one process, one Ctrl-C. */
runMain(async () => {
  const env = process.env;
  const production = isProduction(env);
  const settings = parseStartSettings(env);
  // Both halves run in this process: a secret made now proves the web's calls to the API.
  const webApiSecret = settings.WEB_API_SECRET ?? randomBytes(32).toString("base64url");
  const options = {
    ...apiServerOptions(settings, env, { appOrigin: `http://localhost:${settings.WEB_PORT}` }),
    webHopSecret: webApiSecret,
  };

  // The API is useful on its own, so a web app that does not build is reported, not fatal.
  let webProblem: string | undefined;
  try {
    await ensureWebBuild();
  } catch (error) {
    webProblem = reasonOf(error);
  }

  const api = await startApiServer(options);
  // The web app calls the API server-side; loopback by address avoids a localhost → ::1 miss.
  env.API_URL = `http://127.0.0.1:${api.port}`;
  env.SESSION_SECRET = resolveSecret({
    name: "SESSION_SECRET",
    value: settings.SESSION_SECRET,
    production,
    file: `${LOCAL_DATA_DIR}session-secret`,
  });
  env.WEB_API_SECRET = webApiSecret;
  if (settings.APP_ORIGIN) env.APP_ORIGIN = settings.APP_ORIGIN;

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
    const listenOn = { port: settings.WEB_PORT, hostname: options.hostname, trustProxy: settings.TRUST_PROXY };
    web = build ? await serveWebBuild(build, listenOn) : await serveWebUnavailable(webProblem as string, listenOn);
  } catch (error) {
    await api.close();
    throw error;
  }

  console.log(
    startupBanner(options, { api: api.url, web: webProblem ? `${web.url} (NOT running, see below)` : web.url }),
  );
  if (webProblem)
    console.error(
      `✖ The web app is NOT running: ${webProblem}.\n  ${web.url} explains this; run \`npm run build:web\` to see the errors.\n`,
    );
  closeOnSignals(async () => {
    await web.close();
    await api.close();
  });
});
