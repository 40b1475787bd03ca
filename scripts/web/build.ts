import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const WEB_BUILD_DIR = join(REPO_ROOT, "web/build");
export const WEB_SERVER_ENTRY = join(WEB_BUILD_DIR, "server/index.js");

/** Everything the web build is made from; newer than the build means it is stale. */
const SOURCES = ["web/app", "web/vite.config.ts", "package.json"];

function newestMtime(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stats.mtimeMs);
}

export function webBuildIsStale(): boolean {
  if (!existsSync(WEB_SERVER_ENTRY)) return true;
  const built = statSync(WEB_SERVER_ENTRY).mtimeMs;
  return SOURCES.map((source) => join(REPO_ROOT, source))
    .filter((path) => existsSync(path))
    .some((path) => newestMtime(path) > built);
}

/** `npm run build:web` with its output on this terminal; rejects with the exit code on failure. */
export function buildWeb(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "build:web"], { cwd: REPO_ROOT, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`npm run build:web failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

/** Builds the web app when it is missing or older than its sources. */
export async function ensureWebBuild(): Promise<"fresh" | "built"> {
  if (!webBuildIsStale()) return "fresh";
  if (!existsSync(join(REPO_ROOT, "web/app/root.tsx"))) {
    throw new Error("web/app/root.tsx is missing, so there is no web app to build yet");
  }
  console.log("Building the web app (npm run build:web)…");
  await buildWeb();
  return "built";
}
