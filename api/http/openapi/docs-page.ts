import type { Access } from "./router.ts";

// The parts of the generated document the page shows; everything else is left to openapi.json.
type JsonSchema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}
type Ref = { $ref: string };
interface Operation {
  operationId?: string;
  summary?: string;
  "x-access"?: Access;
  security?: Record<string, string[]>[];
  parameters?: (Parameter | Ref)[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: JsonSchema }> };
  responses: Record<string, { description: string }>;
}
export interface DocumentView {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, unknown>>;
  components?: { parameters?: Record<string, unknown> };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const ACCESS_LABEL: Record<Access, string> = {
  public: "Public",
  user: "Bearer token",
  admin: "Bearer token (admin)",
  service: "Service key",
};

const schemaBlock = (schema: JsonSchema | undefined) =>
  `<pre>${escapeHtml(JSON.stringify(schema ?? {}, null, 2))}</pre>`;

function parameterRows(parameters: Parameter[]): string {
  if (!parameters.length) return "";
  const rows = parameters
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? "yes" : "no"}</td>` +
        `<td><code>${escapeHtml(JSON.stringify(p.schema ?? {}))}</code>${
          p.description ? `<br>${escapeHtml(p.description)}` : ""
        }</td></tr>`,
    )
    .join("");
  return `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Required</th><th>Schema</th></tr>${rows}</table>`;
}

function operationSection(path: string, method: string, op: Operation, parameters: Parameter[], id: string): string {
  const json = op.requestBody?.content["application/json"];
  const body = json
    ? `<h4>Request body (JSON${op.requestBody?.required ? "" : ", optional"})</h4>${schemaBlock(json.schema)}`
    : "";
  const responses = Object.entries(op.responses)
    .map(([status, response]) => `<li><strong>${status}</strong> ${escapeHtml(response.description)}</li>`)
    .join("");
  // Routes built without apiRoute have no x-access; a security requirement still means a token.
  const access = op["x-access"] ?? (op.security?.length ? "user" : "public");
  return `<section id="${escapeHtml(id)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary ?? "")} <span class="access ${access}">${ACCESS_LABEL[access]}</span></p>
${parameterRows(parameters)}${body}<h4>Responses</h4><ul>${responses}</ul>
</section>`;
}

/** A readable, self-contained reference (no scripts, no external assets) generated from the document. */
export function renderDocsPage(doc: DocumentView): string {
  const shared = (doc.components?.parameters ?? {}) as Record<string, Parameter>;
  const resolve = (p: Parameter | Ref): Parameter[] => {
    if (!("$ref" in p)) return [p];
    const found = shared[p.$ref.replace("#/components/parameters/", "")];
    return found ? [found] : [];
  };
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const operation = op as Operation;
      return {
        path,
        method,
        op: operation,
        id: operation.operationId ?? `${method}-${path}`,
        parameters: (operation.parameters ?? []).flatMap(resolve),
      };
    }),
  );
  const index = operations
    .map(
      ({ path, method, id }) =>
        `<li><a href="#${escapeHtml(id)}"><span class="method ${method}">${method.toUpperCase()}</span> ${escapeHtml(path)}</a></li>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)} reference</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2937}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f3f4f6;padding:.75rem;overflow:auto;border-radius:6px}
section{border-top:1px solid #e5e7eb;padding:1rem 0}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #e5e7eb;padding:.25rem .5rem;text-align:left;vertical-align:top}
.method{display:inline-block;min-width:4.5em;font-weight:700;font-size:12px;padding:2px 6px;border-radius:4px;color:#fff;text-align:center}
.get{background:#2563eb}.post{background:#16a34a}.patch{background:#ca8a04}.delete{background:#dc2626}
.access{font-size:12px;padding:1px 6px;border-radius:4px;background:#e5e7eb}.admin{background:#fde68a}
ul.index{list-style:none;padding:0}ul.index a{text-decoration:none;color:inherit}
</style></head><body>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${escapeHtml(doc.info.description ?? "")} Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI ${
    doc.openapi
  }).</p>
<ul class="index">${index}</ul>
${operations.map(({ path, method, op, parameters, id }) => operationSection(path, method, op, parameters, id)).join("\n")}
</body></html>`;
}
