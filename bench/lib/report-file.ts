import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const REPORT_FILE = "docs/benchmarks.md";

/**
 * docs/benchmarks.md has one section per generator, in this order: `npm run bench` (bench/run.ts)
 * and `npm run bench:edge` (bench/edge/run.ts). Each run replaces its own section and keeps the other.
 */
const SECTIONS = ["bench", "bench:edge"] as const;
export type ReportSection = (typeof SECTIONS)[number];

const BIOME = fileURLToPath(new URL("../../node_modules/.bin/biome", import.meta.url));

function sectionOf(text: string, name: ReportSection): string | undefined {
  const open = `<!-- ${name} -->`;
  const close = `<!-- /${name} -->`;
  const start = text.indexOf(open);
  const end = text.indexOf(close);
  return start >= 0 && end > start ? text.slice(start + open.length, end).trim() : undefined;
}

/** Replaces `name`'s section of the report with `markdown`, then formats the file as `npm run lint` wants it. */
export function writeReportSection(name: ReportSection, markdown: string, file = REPORT_FILE): void {
  const existing = existsSync(file) ? readFileSync(file, "utf8") : "";
  const sections = new Map<ReportSection, string | undefined>(SECTIONS.map((s) => [s, sectionOf(existing, s)]));
  sections.set(name, markdown.trim());
  const text = SECTIONS.filter((s) => sections.get(s))
    .map((s) => `<!-- ${s} -->\n\n${sections.get(s)}\n\n<!-- /${s} -->`)
    .join("\n\n");
  writeFileSync(file, `${text}\n`);
  execFileSync(BIOME, ["format", "--write", file], { stdio: "ignore" });
}
