import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Measurement } from "./lib/report.ts";

const CLIENT_DIR = "web/build/client";
const LIMIT_KB = 120;

interface RouteEntry {
  module: string;
  imports?: string[];
  parentId?: string;
}
interface RemixManifest {
  entry: { module: string; imports: string[] };
  routes: Record<string, RouteEntry>;
}

/**
 * The manifest Remix ships to the browser (assets/manifest-*.js): for each route, its module and
 * every chunk it imports; the client preloads exactly these for a page. Vite's own manifest is
 * not kept by the Remix build, and this one is what the page actually asks for.
 */
function readRemixManifest(): RemixManifest {
  const file = readdirSync(join(CLIENT_DIR, "assets")).find((name) => /^manifest-.*\.js$/.test(name));
  if (!file) throw new Error(`no Remix manifest in ${CLIENT_DIR}/assets; did the build run?`);
  const source = readFileSync(join(CLIENT_DIR, "assets", file), "utf8");
  const json = source.replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, "");
  return JSON.parse(json) as RemixManifest;
}

/** The route ids matched on /profile: the route and its parents up to root. */
function routeChain(manifest: RemixManifest, id: string): RouteEntry[] {
  const chain: RouteEntry[] = [];
  for (let route = manifest.routes[id]; route; route = route.parentId ? manifest.routes[route.parentId] : undefined) {
    chain.push(route);
  }
  return chain;
}

export function measureWebBundle(): Measurement[] {
  execFileSync("npm", ["run", "--silent", "build:web"], { stdio: ["ignore", "ignore", "inherit"] });
  const manifest = readRemixManifest();
  const chain = routeChain(manifest, "routes/profile");
  if (!chain.length) throw new Error("the Remix manifest has no routes/profile");
  const files = new Set([manifest.entry.module, ...manifest.entry.imports]);
  for (const route of chain) for (const file of [route.module, ...(route.imports ?? [])]) files.add(file);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = readFileSync(join(CLIENT_DIR, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  const kb = (n: number) => n / 1024;
  return [
    {
      id: "web-bundle",
      name: "Web: client JS the profile page loads (entry, root and profile route chunks with their imports), gzip",
      target: `≤ ${LIMIT_KB} KB`,
      measured: `${kb(gzip).toFixed(1)} KB (${kb(raw).toFixed(1)} KB raw, ${files.size} files)`,
      met: kb(gzip) <= LIMIT_KB,
      ifNotMet: "most of it is React and Remix (components-*.js); the route's own dialogs could load on demand.",
      notes: ["gzip level 9 of each file as built by `npm run build:web`, summed"],
    },
  ];
}
