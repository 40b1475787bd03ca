import { pathToFileURL } from "node:url";
import { getConnInfo } from "@hono/node-server/conninfo";
import { serveStatic } from "@hono/node-server/serve-static";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { Hono } from "hono";
import { resolveClientAddress, type TrustProxy } from "../../api/lib/client-address.ts";
import { type Listening, listen } from "../../api/server/listen.ts";
import { appOrigin } from "../../web/app/lib/app-origin.server.ts";
import { crossSiteRefusal } from "../../web/app/lib/cross-site.server.ts";
import { WEB_BUILD_DIR, WEB_SERVER_ENTRY } from "./build.ts";

/**
 * The Remix server build. It reads API_URL and SESSION_SECRET from process.env (the session storage
 * at import), so the caller sets them first.
 */
export async function loadWebBuild(): Promise<ServerBuild> {
  return (await import(pathToFileURL(WEB_SERVER_ENTRY).href)) as ServerBuild;
}

export interface WebListenOptions {
  port: number;
  hostname?: string;
  /** Which proxy in front of the web server may name the visitor (TRUST_PROXY); none by default. */
  trustProxy?: TrustProxy;
}

export function serveWebBuild(
  build: ServerBuild,
  { port, hostname, trustProxy = { kind: "none" } }: WebListenOptions,
): Promise<Listening> {
  const handle = createRequestHandler(build, "production");
  const client = `${WEB_BUILD_DIR}/client`;
  const app = new Hono();
  // File names under /assets carry a content hash, so browsers may keep them forever.
  app.use(
    "/assets/*",
    serveStatic({
      root: client,
      onFound: (_path, c) => c.header("Cache-Control", "public, max-age=31536000, immutable"),
    }),
  );
  app.use("*", serveStatic({ root: client, onFound: (_path, c) => c.header("Cache-Control", "public, max-age=3600") }));
  app.all("*", (c) => {
    // Before Remix, whose own origin check throws (a 500) and trusts a client's X-Forwarded-Host.
    const refusal = crossSiteRefusal(c.req.raw);
    if (refusal) return refusal;
    const visitor = resolveClientAddress(trustProxy, {
      socketAddress: getConnInfo(c).remote.address,
      header: (name) => c.req.header(name),
    });
    return handle(withAppHost(withClientAddress(c.req.raw, visitor)));
  });
  return listen(app.fetch, port, hostname);
}

/**
 * The web app forwards the visitor's address to the API's per-IP sign-in limit. It must come from
 * the socket or a trusted proxy: a browser-sent X-Forwarded-For would let every visitor choose
 * their own bucket.
 */
export function withClientAddress(request: Request, address: string | undefined): Request {
  const forwarded = new Request(request);
  if (address) forwarded.headers.set("X-Forwarded-For", address);
  else forwarded.headers.delete("X-Forwarded-For");
  return forwarded;
}

/**
 * Remix compares a post's Origin with X-Forwarded-Host (else Host). Set from APP_ORIGIN (or the
 * request's own host), so it agrees with crossSiteRefusal behind a proxy and ignores a client's value.
 */
export function withAppHost(request: Request): Request {
  const forwarded = new Request(request);
  forwarded.headers.set("X-Forwarded-Host", new URL(appOrigin(request)).host);
  return forwarded;
}

/** Answers every request with why the web app is not there, so a browser on WEB_PORT is not left guessing. */
export function serveWebUnavailable(reason: string, { port, hostname }: WebListenOptions): Promise<Listening> {
  const message = `The tierkit web app is not available: ${reason}.\nRun \`npm run build:web\` to see the errors, then restart \`npm start\`.\n`;
  return listen(
    () => new Response(message, { status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" } }),
    port,
    hostname,
  );
}
