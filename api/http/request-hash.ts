/** JSON with object keys sorted at every depth, so key order and whitespace do not change a hash. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

function canonicalBody(text: string): string {
  if (text.trim() === "") return "";
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return text;
  }
}

/** SHA-256 (hex) of method, path and body: what makes two requests "the same" for idempotency. */
export async function hashRequest(method: string, path: string, body: string): Promise<string> {
  const input = new TextEncoder().encode(`${method.toUpperCase()}\n${path}\n${canonicalBody(body)}`);
  const digest = await crypto.subtle.digest("SHA-256", input);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
