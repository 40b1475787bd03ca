import { DEFAULT_ADMIN_PASSWORD, DEMO_MEMBER } from "./demo-accounts.ts";
import { describeDatabase } from "./settings.ts";
import type { ApiServerOptions } from "./start-api-server.ts";

/** Without a provider the app runs offline and says so; with Stripe, which keys (sk_/rk_ test or live) and SDK target. */
function describePayments(payments: ApiServerOptions["payments"]): string {
  if (!payments) return "none: plan changes apply without payment (set PAYMENT_PROVIDER=stripe to take payments)";
  const mode = /^[a-z]+_live_/.test(payments.secretKey) ? "live mode" : "test mode";
  return ["Stripe", mode, ...(payments.apiBase ? [`at ${payments.apiBase}`] : [])].join(", ");
}

/** What someone who just ran `npm start` needs: where things are and how to sign in. */
export function startupBanner(options: ApiServerOptions, urls: { api: string; web?: string }): string {
  const { admin, demoMember } = options.accounts;
  const adminPassword = admin.password === DEFAULT_ADMIN_PASSWORD ? admin.password : "(ADMIN_PASSWORD)";
  const lines = [
    "",
    "tierkit is running",
    ...(urls.web ? [`  Web app   ${urls.web}`] : []),
    `  API       ${urls.api}/api   (tiers: ${urls.api}/api/tiers)`,
    `  API docs  ${urls.api}/api/docs`,
    `  JWKS      ${urls.api}/.well-known/jwks.json`,
    `  Database  ${describeDatabase(options)}`,
    `  Payments  ${describePayments(options.payments)}`,
    `  Admin     ${admin.email} / ${adminPassword}`,
    ...(demoMember ? [`  Member    ${DEMO_MEMBER.email} / ${DEMO_MEMBER.password}`] : []),
    `  Requests  ${options.logRequests ? "logged (LOG_REQUESTS is set)" : "not logged (set LOG_REQUESTS=1 to log each one)"}`,
    "  Ctrl-C to stop",
    "",
  ];
  return lines.join("\n");
}
