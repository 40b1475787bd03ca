import type { JsonSchema, OpenApiDocument, Operation, Parameter } from "./document.ts";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

const ACCESS_LABEL: Record<Operation["x-access"], string> = {
  public: "Public",
  user: "Bearer token",
  admin: "Bearer token (admin)",
  service: "Service key",
};

const schemaBlock = (schema: JsonSchema) => `<pre>${escapeHtml(JSON.stringify(schema, null, 2))}</pre>`;

function parameterRows(parameters: Parameter[]): string {
  if (!parameters.length) return "";
  const rows = parameters
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? "yes" : "no"}</td>` +
        `<td><code>${escapeHtml(JSON.stringify(p.schema))}</code>${
          p.description ? `<br>${escapeHtml(p.description)}` : ""
        }</td></tr>`
    )
    .join("");
  return `<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Required</th><th>Schema</th></tr>${rows}</table>`;
}

function operationSection(path: string, method: string, op: Operation): string {
  const body = op.requestBody
    ? `<h4>Request body (JSON${op.requestBody.required ? "" : ", optional"})</h4>${schemaBlock(
        op.requestBody.content["application/json"].schema
      )}`
    : "";
  const responses = Object.entries(op.responses)
    .map(([status, response]) => `<li><strong>${status}</strong> ${escapeHtml(response.description)}</li>`)
    .join("");
  return `<section id="${escapeHtml(op.operationId)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(op.summary)} <span class="access ${op["x-access"]}">${ACCESS_LABEL[op["x-access"]]}</span></p>
${parameterRows(op.parameters)}${body}<h4>Responses</h4><ul>${responses}</ul>
</section>`;
}

/** A readable, self-contained reference (no scripts, no external assets) generated from the document. */
export function renderDocsPage(doc: OpenApiDocument): string {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op: op as Operation }))
  );
  const index = operations
    .map(
      ({ path, method, op }) =>
        `<li><a href="#${escapeHtml(
          op.operationId
        )}"><span class="method ${method}">${method.toUpperCase()}</span> ${escapeHtml(path)}</a></li>`
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
<p>${escapeHtml(doc.info.description)} Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI ${
    doc.openapi
  }).</p>
<ul class="index">${index}</ul>
${operations.map(({ path, method, op }) => operationSection(path, method, op)).join("\n")}
</body></html>`;
}
