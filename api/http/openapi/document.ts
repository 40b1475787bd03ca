import { z } from "zod";
import { type RouteDoc, ROUTES } from "./routes-table.ts";
import { idempotencyKeyHeader } from "../schemas/subscription.ts";

export type JsonSchema = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface Operation {
  operationId: string;
  summary: string;
  tags: string[];
  security: Record<string, string[]>[];
  "x-access": RouteDoc["access"];
  parameters: Parameter[];
  requestBody?: { required: boolean; content: { "application/json": { schema: JsonSchema } } };
  responses: Record<string, { description: string; content: Record<string, unknown> }>;
}

const errorBody = z.object({
  success: z.literal(false),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** Request schemas describe what a client may send, so the input side of transforms and defaults. */
function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: "input" }) as JsonSchema;
  return rest;
}

function parameters(location: "path" | "query", schema: z.ZodObject | undefined): Parameter[] {
  if (!schema) return [];
  const { properties = {}, required = [] } = jsonSchema(schema) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || required.includes(name),
    schema: property,
  }));
}

const idempotencyParameter: Parameter = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description:
    "Makes a retry safe for 24 h: the same key and body replay the stored response (header Idempotent-Replayed: true); " +
    "the same key with another body is refused with 422 idempotency_key_reused.",
  schema: jsonSchema(idempotencyKeyHeader),
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

function responses(route: RouteDoc): Operation["responses"] {
  const result: Operation["responses"] = {
    [String(route.status ?? 200)]: {
      description: route.response,
      content: { [route.produces ?? "application/json"]: {} },
    },
  };
  if (route.params || route.query || route.body || route.idempotent) result["400"] = errorResponse("Invalid input.");
  if (route.access !== "public") result["401"] = errorResponse("Missing, invalid or expired token.");
  if (route.access === "admin") result["403"] = errorResponse("The caller is not an administrator.");
  if (route.access === "service") result["403"] = errorResponse("The service key lacks the usage:write scope, or the tier does not include the feature.");
  for (const [status, description] of Object.entries(route.errors ?? {})) result[status] = errorResponse(description);
  return result;
}

/** e.g. post_admin_subscriptions_user_id_assign_tier */
const operationId = (route: RouteDoc) =>
  `${route.method}_${route.path
    .replace(/^\/api\//, "")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/_+$/, "")}`;

function operation(route: RouteDoc): Operation {
  const op: Operation = {
    operationId: operationId(route),
    summary: route.summary,
    tags: [route.tag],
    security: route.access === "public" ? [] : [{ [route.access === "service" ? "serviceKey" : "bearerAuth"]: [] }],
    "x-access": route.access,
    parameters: [
      ...parameters("path", route.params),
      ...parameters("query", route.query),
      ...(route.idempotent ? [idempotencyParameter] : []),
    ],
    responses: responses(route),
  };
  if (route.body) {
    op.requestBody = {
      required: !route.bodyOptional,
      content: { "application/json": { schema: jsonSchema(route.body) } },
    };
  }
  return op;
}

function buildDocument() {
  const paths: Record<string, Partial<Record<RouteDoc["method"], Operation>>> = {};
  for (const route of ROUTES) (paths[route.path] ??= {})[route.method] = operation(route);
  return {
    openapi: "3.1.0",
    info: {
      title: "tierkit API",
      version: "1.0.0",
      description:
        "User tiers and subscriptions. Errors always answer { success: false, error: { code, message, details? } }.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    tags: [...new Set(ROUTES.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        serviceKey: { type: "http", scheme: "bearer", description: "A service key (tk_svc_…) from POST /api/admin/service-keys." },
      },
      schemas: { Error: jsonSchema(errorBody) },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildDocument>;

let cached: OpenApiDocument | undefined;

/** Built once per isolate: the schemas cannot change while it runs. */
export function openApiDocument(): OpenApiDocument {
  cached ??= buildDocument();
  return cached;
}
