import type { Context, TypedResponse } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { JSONParsed } from "hono/utils/types";

/**
 * A value already serialized to JSON, to be spliced into larger bodies as it is. The tier catalog
 * is most of the subscription page's body and changes only with the catalog: serializing it once
 * per catalog read, not once per request, is a quarter of the page's JSON work saved.
 */
export class Serialized<T> {
  // Never set: it makes Serialized<A> and Serialized<B> different types, as a bare parameter would not.
  declare readonly serializes?: T;
  readonly text: string;
  private constructor(text: string) {
    this.text = text;
  }

  static of<T>(value: T): Serialized<T> {
    return new Serialized<T>(JSON.stringify(value));
  }

  static array<T>(items: readonly Serialized<T>[]): Serialized<T[]> {
    return new Serialized<T[]>(`[${items.map((item) => item.text).join(",")}]`);
  }

  /** An object whose members are values or Serialized values, serialized in the members' order. */
  static object<T extends object>(members: { [K in keyof T]: T[K] | Serialized<T[K]> }): Serialized<T> {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(members)) {
      if (value === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${value instanceof Serialized ? value.text : JSON.stringify(value)}`);
    }
    return new Serialized<T>(`{${parts.join(",")}}`);
  }
}

/** The response for a Serialized body, typed as `c.json` would type the value itself. */
export function serializedJson<T, S extends ContentfulStatusCode>(
  c: Context,
  body: Serialized<T>,
  status: S,
  headers: Record<string, string> = {},
): Response & TypedResponse<JSONParsed<T>, S, "json"> {
  // The text is what c.json(value) would send, so the response is typed as that one would be.
  const response: Response = c.body(body.text, status, { "Content-Type": "application/json", ...headers });
  return response as Response & TypedResponse<JSONParsed<T>, S, "json">;
}
