import type { RouteConfig } from "@hono/zod-openapi";
import type { z } from "zod";
import type { AppType } from "../../api/app.ts";
import { ErrorEnvelope } from "../../api/http/openapi/router.ts";

interface DeclaredRoute {
  method: string;
  template: string;
  pattern: RegExp;
  responses: RouteConfig["responses"];
}

type ResponseDef = { content?: Record<string, { schema?: unknown }>; headers?: unknown };

const isZod = (value: unknown): value is z.ZodType =>
  typeof value === "object" && value !== null && typeof (value as z.ZodType).safeParse === "function";

function declaredRoutes(app: AppType): DeclaredRoute[] {
  return app.openAPIRegistry.definitions.flatMap((definition) => {
    if (definition.type !== "route") return [];
    const { method, path, responses } = definition.route;
    const source = path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}|\{[^}]+\}/g, "[^/]+");
    return [{ method: method.toUpperCase(), template: path, pattern: new RegExp(`^${source}/?$`), responses }];
  });
}

function problemsOf(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  if (result.success) return null;
  return result.error.issues.map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`).join("; ");
}

/**
 * Checks an answer against the route definitions the app was built from: the status must be one
 * the route declares, and the body (and declared headers) must match that status's schema. An
 * answer for no route must be the 404 envelope. CORS preflights belong to no route's contract.
 * Returns what is wrong, or null.
 */
export function createContractCheck(app: AppType) {
  const routes = declaredRoutes(app);
  return async function violation(method: string, url: string, res: Response): Promise<string | null> {
    method = method.toUpperCase();
    if (method === "OPTIONS") return null;
    const path = new URL(url, "http://contract.test").pathname;
    const route = routes.find((candidate) => candidate.method === method && candidate.pattern.test(path));
    const text = await res.clone().text();
    const where = `${method} ${path} answered ${res.status}`;
    if (!route) {
      if (res.status !== 404) return `${where} but no route is declared for it`;
      return parsed(text, ErrorEnvelope, where);
    }
    const declared = route.responses[String(res.status)] as ResponseDef | undefined;
    if (!declared) return `${where}, a status ${method} ${route.template} does not declare`;
    if (isZod(declared.headers)) {
      const shape = Object.keys((declared.headers as z.ZodObject).shape);
      const headers = Object.fromEntries(shape.map((name) => [name, res.headers.get(name) ?? undefined]));
      const wrong = problemsOf(declared.headers, headers);
      if (wrong) return `${where} with headers the route does not declare: ${wrong}`;
    }
    const media = Object.entries(declared.content ?? {});
    if (!media.length) return text === "" ? null : `${where} with a body, where the route declares none`;
    const type = res.headers.get("content-type")?.split(";")[0]?.trim() ?? "";
    const match = media.find(([declaredType]) => declaredType === type);
    if (!match)
      return `${where} as ${type || "no content type"}, where the route declares ${media.map(([t]) => t).join(", ")}`;
    const schema = match[1].schema;
    if (!isZod(schema)) return null;
    return type.endsWith("json") ? parsed(text, schema, where) : problemsOf(schema, text);
  };
}

function parsed(text: string, schema: z.ZodType, where: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `${where} with a body that is not JSON: ${text.slice(0, 200)}`;
  }
  const wrong = problemsOf(schema, body);
  return wrong ? `${where} with a body its declared schema refuses: ${wrong}\n${text.slice(0, 500)}` : null;
}
