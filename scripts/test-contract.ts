// npm run test:contract: the served OpenAPI document must be valid (swagger-parser) and clean under
// Spectral's spectral:oas ruleset (no errors, no warnings); then the API test scenarios run over
// HTTP through Prism's validating proxy, and any response Violation Prism reports fails the run.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { generateSigningJwk } from "../api/server/signing-keys.ts";
import { startApiServer } from "../api/server/start-api-server.ts";
import { startUpstreamRelay } from "./contract/upstream-relay.ts";

const PRISM_PORT = Number(process.env.CONTRACT_PRISM_PORT ?? 4110);
const SCENARIOS = process.argv.slice(2).length ? process.argv.slice(2) : ["tests/api"];

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.once("error", reject);
    child.once("exit", (code) => resolve(code ?? 1));
  });
}

async function servedDocument(file: string): Promise<void> {
  const api = await startApiServer({
    port: 0,
    tokens: { signingKeys: [generateSigningJwk()], accessTokenTtlSeconds: 900 },
    accounts: { admin: { email: "admin@contract.local", password: "contract-admin" }, demoMember: false },
    cronIntervalMs: 60_000,
    log: () => {},
  });
  try {
    const res = await fetch(`${api.url}/api/openapi.json`);
    if (res.status !== 200) throw new Error(`GET /api/openapi.json answered ${res.status}`);
    writeFileSync(file, await res.text());
  } finally {
    await api.close();
  }
}

/** Starts Prism in proxy mode and resolves with its collected output once it listens. */
function startPrism(file: string, upstream: string) {
  const output: string[] = [];
  // Prism's own binary, not through npx: the signal that stops it must reach the server itself.
  const child = spawn(
    join("node_modules", ".bin", "prism"),
    ["proxy", file, upstream, "-h", "127.0.0.1", "-p", String(PRISM_PORT), "--cors=false", "--errors=false"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output.push(text);
      if (/Prism is listening/.test(text)) resolve();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("exit", (code) => reject(new Error(`prism exited (${code}):\n${output.join("")}`)));
  });
  return {
    ready,
    output,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "tierkit-contract-"));
  const file = join(dir, "openapi.json");
  await servedDocument(file);

  await SwaggerParser.validate(file);
  console.log("swagger-parser: the served document is a valid OpenAPI 3.1 document");

  // .spectral.yaml: the spectral:oas ruleset as it ships; a warning fails like an error.
  const lint = await run("npx", ["spectral", "lint", file, "--ruleset", ".spectral.yaml", "--fail-severity=warn"]);
  if (lint !== 0) return lint;

  const relay = await startUpstreamRelay();
  const prism = startPrism(file, `http://127.0.0.1:${relay.port}`);
  try {
    await prism.ready;
    const tests = await run("npx", ["vitest", "run", "--project", "node", ...SCENARIOS], {
      ...process.env,
      CONTRACT_PROXY_URL: `http://127.0.0.1:${PRISM_PORT}`,
    });
    const log = prism.output.join("");
    writeFileSync(join(dir, "prism.log"), log);
    const lines = log.split("\n");
    const proxied = lines.filter((line) => /Request received/.test(line)).length;
    const violations = lines.filter((line) => /Violation: response/.test(line));
    if (violations.length) {
      console.error(`Prism reported ${violations.length} response violation(s):\n${violations.join("\n")}`);
      return 1;
    }
    if (proxied === 0) {
      console.error("Prism proxied no request: the scenarios did not run through it.");
      return 1;
    }
    console.log(`prism: ${proxied} requests proxied, no response violations (log: ${join(dir, "prism.log")})`);
    return tests;
  } finally {
    await prism.stop();
    await relay.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
