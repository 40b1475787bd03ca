import type { TestProject } from "vitest/node";
import { issueTokens } from "./token-source.ts";

/** The real tierkit API, and the tokens the example Worker is asked to trust or refuse. */
export default async function setup(project: TestProject) {
  const source = await issueTokens();
  project.provide("tierkitUrl", source.tierkitUrl);
  project.provide("serviceKey", source.serviceKey);
  project.provide("tokens", source.tokens);
  return source.close;
}
