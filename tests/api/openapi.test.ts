import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../support/test-app.ts";

let t: TestApp;
let doc: {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
    parameters: Record<string, Parameter>;
  };
};

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  schema: Record<string, unknown>;
}

interface Operation {
  operationId: string;
  security: Record<string, string[]>[];
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required: boolean; content: { "application/json": { schema: Record<string, any> } } };
  responses: Record<string, { description: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
}

beforeAll(async () => {
  t = await createTestApp();
  const res = await t.request("GET", "/api/openapi.json");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  doc = JSON.parse(await res.text());
});
afterAll(() => t.close());

/** Every method + path the app answers, as OpenAPI templates. */
function appRoutes(): string[] {
  const routes = t.app.routes
    .filter((route) => route.method !== "ALL")
    .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, "{$1}")}`);
  return [...new Set(routes)].sort();
}

/** An operation's parameters with shared ones (components/parameters) resolved. */
const parametersOf = (op: Operation): Parameter[] =>
  (op.parameters ?? []).map((p) =>
    "$ref" in p ? doc.components.parameters[p.$ref.replace("#/components/parameters/", "")]! : p,
  );

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );

describe("GET /api/openapi.json", () => {
  it("is an OpenAPI 3.1 document describing exactly the app's routes", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(appRoutes().length).toBeGreaterThanOrEqual(20);
    expect(
      operations()
        .map(({ path, method }) => `${method} ${path}`)
        .sort(),
    ).toEqual(appRoutes());
  });

  it("is internally consistent: unique operation ids, declared path parameters, resolvable refs", () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, op } of operations()) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
      const declared = parametersOf(op)
        .filter((p) => p.in === "path")
        .map((p) => p.name);
      expect(declared, path).toEqual(templated);
      expect(parametersOf(op).every((p) => p !== undefined)).toBe(true);
      expect(
        parametersOf(op)
          .filter((p) => p.in === "path")
          .every((p) => p.required),
      ).toBe(true);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
      for (const response of Object.values(op.responses)) {
        expect(response.description).toEqual(expect.any(String));
        for (const media of Object.values(response.content ?? {})) {
          const ref = media.schema?.$ref;
          if (ref) expect(doc.components.schemas[ref.replace("#/components/schemas/", "")]).toBeDefined();
        }
      }
      for (const scheme of op.security.flatMap(Object.keys))
        expect(doc.components.securitySchemes[scheme]).toBeDefined();
    }
  });

  it("derives request schemas from the validating zod schemas", () => {
    const upgrade = doc.paths["/api/user/subscription/upgrade"]?.post;
    expect(upgrade?.requestBody?.content["application/json"].schema).toMatchObject({
      type: "object",
      required: ["tier_slug", "billing_cycle"],
      additionalProperties: false,
      properties: { billing_cycle: { enum: ["monthly", "annual"] } },
    });
    expect(upgrade?.security).toEqual([{ bearerAuth: [] }]);
    expect(parametersOf(upgrade!)).toEqual([
      expect.objectContaining({ name: "Idempotency-Key", in: "header", required: false }),
    ]);

    const list = doc.paths["/api/admin/subscriptions"]?.get;
    const limit = parametersOf(list!).find((p) => p.name === "limit");
    expect(limit).toMatchObject({
      in: "query",
      required: false,
      schema: { type: "integer", minimum: 1, maximum: 100, default: 20 },
    });
    expect(parametersOf(list!).find((p) => p.name === "status_filter")?.schema).toMatchObject({
      enum: ["current", "all", "active", "trialing", "past_due", "cancelled", "expired"],
      default: "current",
    });
    expect(list?.responses["403"]).toBeDefined();

    const assign = doc.paths["/api/admin/subscriptions/{user_id}/assign-tier"]?.post;
    expect(parametersOf(assign!).find((p) => p.in === "path")).toMatchObject({
      name: "user_id",
      in: "path",
      schema: { format: "uuid" },
    });
    expect(assign?.requestBody?.content["application/json"].schema.properties.reason).toMatchObject({
      minLength: 1,
      maxLength: 500,
    });

    expect(doc.paths["/api/user/subscription/cancel"]?.delete?.requestBody?.required).toBe(false);
    expect(doc.paths["/api/tiers"]?.get?.security).toEqual([]);
    expect(doc.paths["/api/auth/signup"]?.post?.requestBody?.content["application/json"].schema.required).toEqual(
      expect.arrayContaining(["email", "password", "display_name"]),
    );
  });
});

describe("responses in the document", () => {
  it("gives every status a concrete schema, and every error the one envelope", () => {
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        const where = `${method} ${path} ${status}`;
        if (status === "304") {
          expect(response.content, where).toBeUndefined();
          continue;
        }
        const media = Object.values(response.content ?? {});
        expect(media.length, where).toBe(1);
        expect(media[0]?.schema, where).toBeDefined();
        if (Number(status) >= 400) expect(media[0]?.schema?.$ref, where).toBe("#/components/schemas/Error");
      }
    }
  });

  it("puts usage counting behind the service key scheme, with the key's and the limit's refusals", () => {
    expect(doc.components.securitySchemes.serviceKey).toMatchObject({ type: "http", scheme: "bearer" });
    const consume = doc.paths["/api/usage/{feature}/consume"]?.post;
    const release = doc.paths["/api/usage/{feature}/release"]?.post;
    expect(consume?.security).toEqual([{ serviceKey: [] }]);
    expect(release?.security).toEqual([{ serviceKey: [] }]);
    expect(Object.keys(consume?.responses ?? {})).toEqual(expect.arrayContaining(["401", "403", "404", "422", "429"]));
    // No key is "in progress" any more (the count stores it, decision 018): only a release meets a 409.
    expect(Object.keys(consume?.responses ?? {})).not.toContain("409");
    expect(Object.keys(release?.responses ?? {})).toEqual(expect.arrayContaining(["404", "409", "422"]));
    expect(Object.keys(release?.responses ?? {})).not.toContain("429");
    expect(doc.paths["/api/admin/service-keys"]?.post?.security).toEqual([{ bearerAuth: [] }]);
  });

  it("declares what middleware and the lifecycle answer: 304, 401 from login, 403 feature_required, 413/415/429/503", () => {
    const statuses = (path: string, method: string) => Object.keys(doc.paths[path]?.[method]?.responses ?? {});
    expect(statuses("/api/tiers", "get")).toEqual(expect.arrayContaining(["200", "304", "500", "503"]));
    expect(statuses("/api/auth/login", "post")).toEqual(expect.arrayContaining(["401", "413", "415", "429"]));
    expect(statuses("/api/features/priority-support", "get")).toEqual(expect.arrayContaining(["401", "403"]));
    expect(statuses("/api/user/subscription/resume", "post")).toEqual(
      expect.arrayContaining(["400", "401", "409", "413", "415", "422", "503"]),
    );
    expect(doc.components.schemas.Error).toMatchObject({
      properties: {
        error: { properties: { details: { type: "array", items: { $ref: "#/components/schemas/FieldProblem" } } } },
      },
    });
  });
});

describe("GET /api/docs", () => {
  it("renders every endpoint in a self-contained page", async () => {
    const res = await t.request("GET", "/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    for (const { path, method } of operations()) {
      expect(html).toContain(`<span class="method ${method}">${method.toUpperCase()}</span> <code>${path}</code>`);
    }
    expect(html).toContain("Bearer token (admin)");
    expect(html).toContain("&#34;billing_cycle&#34;");
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!json-schema\.org)/);
  });
});
