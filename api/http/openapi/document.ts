import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../env.ts";
import { BEARER_SCHEME, SERVICE_KEY_SCHEME } from "./router.ts";

/** What the generator cannot take from the route definitions. */
const DOCUMENT_HEAD = {
  openapi: "3.1.0",
  info: {
    title: "tierkit API",
    version: "1.0.0",
    description:
      "User tiers and subscriptions. Errors always answer { success: false, error: { code, message, details? } }.",
    contact: { name: "tierkit" },
  },
  servers: [{ url: "/", description: "The origin serving this document." }],
  tags: [
    { name: "auth", description: "Accounts and sign-in." },
    { name: "profile", description: "The caller's own account." },
    { name: "subscription", description: "The caller's subscription and its lifecycle." },
    {
      name: "payments",
      description: "Stripe: Checkout, the billing portal, and the webhook that keeps subscriptions in step.",
    },
    { name: "tiers", description: "The tier catalog." },
    { name: "features", description: "Features gated by tier." },
    { name: "seats", description: "Sharing a Business or Family plan: invitations, members, the seat one holds." },
    { name: "usage", description: "Counted features: what the caller has used, and services consuming for a user." },
    { name: "admin", description: "Administration: every subscription and user." },
    { name: "docs", description: "This description of the API." },
  ],
};

/** The generated document as GET /api/openapi.json declares it (and the docs page reads it). */
export const OpenApiDocumentJson = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string(), description: z.string().optional() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.looseObject({ parameters: z.record(z.string(), z.unknown()).optional() }).optional(),
});

export type OpenApiDocument = z.output<typeof OpenApiDocumentJson>;

type Operation = { operationId?: string };

/** e.g. post_admin_subscriptions_user_id_assign_tier, for routes that do not name themselves. */
function nameOperations(paths: Record<string, Record<string, unknown>>) {
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const operation = op as Operation;
      operation.operationId ??= `${method}_${path
        .replace(/^\/api\//, "")
        .replace(/[^A-Za-z0-9]+/g, "_")
        .replace(/_+$/, "")}`;
    }
  }
}

/**
 * The OpenAPI 3.1 document of `app`, generated from its route definitions once per isolate (the
 * definitions cannot change while it runs), so it must be asked for after every route is mounted.
 */
export function describeApi(app: OpenAPIHono<AppEnv>): () => OpenApiDocument {
  app.openAPIRegistry.registerComponent("securitySchemes", BEARER_SCHEME, {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", SERVICE_KEY_SCHEME, {
    type: "http",
    scheme: "bearer",
    description: "A service key (tk_svc_…) from POST /api/admin/service-keys.",
  });
  let cached: OpenApiDocument | undefined;
  return () => {
    if (cached) return cached;
    const generated = OpenApiDocumentJson.parse(app.getOpenAPI31Document(DOCUMENT_HEAD));
    nameOperations(generated.paths);
    cached = generated;
    return cached;
  };
}
