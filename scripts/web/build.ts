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

function sizeOf(path: string): { files: number; bytes: number } {
  if (!existsSync(path)) return { files: 0, bytes: 0 };
  const stats = statSync(path);
  if (!stats.isDirectory()) return { files: 1, bytes: stats.size };
  return readdirSync(path)
    .map((name) => sizeOf(join(path, name)))
    .reduce((sum, part) => ({ files: sum.files + part.files, bytes: sum.bytes + part.bytes }), { files: 0, bytes: 0 });
}

/**
 * `npm run build:web`, resolving with a one-line summary. Vite's file-by-file listing is kept back
 * and printed only when the build fails (with the reason), which is when someone needs it.
 */
export function buildWeb(): Promise<string> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "build:web"], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code !== 0) {
        process.stderr.write(output);
        reject(new Error(`npm run build:web failed (${signal ?? `exit code ${code}`})`));
        return;
      }
      const client = sizeOf(join(WEB_BUILD_DIR, "client/assets"));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      resolve(
        `Built the web app in ${seconds} s: ${client.files} browser files, ${Math.round(client.bytes / 1024)} kB (web/build).`,
      );
    });
  });
}

/** Builds the web app when it is missing or older than its sources. */
export async function ensureWebBuild(): Promise<"fresh" | "built"> {
  if (!webBuildIsStale()) return "fresh";
  if (!existsSync(join(REPO_ROOT, "web/app/root.tsx"))) {
    throw new Error("web/app/root.tsx is missing, so there is no web app to build yet");
  }
  console.log(await buildWeb());
  return "built";
}
