import { DEFAULT_ADMIN_PASSWORD, DEMO_MEMBER } from "./demo-accounts.ts";
import { describeDatabase } from "./settings.ts";
import type { ApiServerOptions } from "./start-api-server.ts";

/** What someone who just ran `npm start` needs: where things are and how to sign in. */
export function startupBanner(options: ApiServerOptions, urls: { api: string; web?: string }): string {
  const { admin, demoMember } = options.accounts;
  const adminPassword = admin.password === DEFAULT_ADMIN_PASSWORD ? admin.password : "(ADMIN_PASSWORD)";
  const lines = [
    "",
    "tierkit is running",
    ...(urls.web ? [`  Web app   ${urls.web}`] : []),
    `  API       ${urls.api}/api   (tiers: ${urls.api}/api/tiers)`,
    `  JWKS      ${urls.api}/.well-known/jwks.json`,
    `  Database  ${describeDatabase(options)}`,
    `  Admin     ${admin.email} / ${adminPassword}`,
    ...(demoMember ? [`  Member    ${DEMO_MEMBER.email} / ${DEMO_MEMBER.password}`] : []),
    "  Ctrl-C to stop",
    "",
  ];
  return lines.join("\n");
}
