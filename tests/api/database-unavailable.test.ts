import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../../api/lib/database-unavailable.ts";

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it.each([
    ["a refused connection", withCode("connect ECONNREFUSED 127.0.0.1:5432", "ECONNREFUSED")],
    [
      "a refused connection inside Drizzle's wrapper",
      new DrizzleQueryError("select 1", [], withCode("x", "ECONNREFUSED")),
    ],
    [
      "Node's AggregateError over several addresses",
      new AggregateError([withCode("a", "ECONNREFUSED"), withCode("b", "ECONNREFUSED")]),
    ],
    ["pg's pool connect timeout", new Error("timeout exceeded when trying to connect")],
    ["a dropped connection", new DrizzleQueryError("select 1", [], new Error("Connection terminated unexpectedly"))],
    ["the server shutting down", withCode("terminating connection due to administrator command", "57P01")],
    ["a connection exception class SQLSTATE", withCode("connection failure", "08006")],
    ["a closed PGlite", new Error("PGlite is closed")],
    [
      "a WebSocket error event from the Neon driver",
      { type: "error", target: { url: "wss://db.example/v2" }, message: "" },
    ],
    ["a wrapped WebSocket event", new Error("query failed", { cause: new Event("error") })],
    [
      "Neon's HTTP client when its fetch failed",
      new DrizzleQueryError("select 1", [], new Error("Error connecting to database: TypeError: fetch failed")),
    ],
    [
      "Neon's HTTP client when Neon's proxy answered 5xx",
      new Error('Server error (HTTP status 503): {"message":"compute unavailable"}'),
    ],
    [
      "the network error under a NeonDbError",
      Object.assign(new Error("request failed"), { sourceError: withCode("connect", "ECONNREFUSED") }),
    ],
  ])("recognizes %s", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a unique violation", new DrizzleQueryError("insert", [], withCode("duplicate key", "23505"))],
    ["a syntax error", withCode("syntax error at or near", "42601")],
    ["a 4xx from Neon's proxy", new Error("Server error (HTTP status 413): too large")],
    ["a plain bug", new TypeError("cannot read properties of undefined")],
    ["a non-error", "boom"],
  ])("does not mistake %s for an outage", (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
