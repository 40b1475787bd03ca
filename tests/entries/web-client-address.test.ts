import { describe, expect, it } from "vitest";
import { withAppHost, withClientAddress } from "../../scripts/web/server.ts";

describe("withClientAddress", () => {
  it("replaces a browser-sent X-Forwarded-For with the socket's address and keeps the body", async () => {
    const spoofed = new Request("http://localhost:3000/login", {
      method: "POST",
      headers: { "X-Forwarded-For": "203.0.113.9", "Content-Type": "application/x-www-form-urlencoded" },
      body: "email=a%40b.c",
    });
    const forwarded = withClientAddress(spoofed, "127.0.0.1");
    expect(forwarded.headers.get("X-Forwarded-For")).toBe("127.0.0.1");
    expect(await forwarded.text()).toBe("email=a%40b.c");
  });

  it("sends no address rather than a spoofed one when the socket has none", () => {
    const spoofed = new Request("http://localhost:3000/", { headers: { "X-Forwarded-For": "203.0.113.9" } });
    expect(withClientAddress(spoofed, undefined).headers.has("X-Forwarded-For")).toBe(false);
  });
});

describe("withAppHost", () => {
  const spoofed = () =>
    new Request("http://127.0.0.1:3000/login", { method: "POST", headers: { "X-Forwarded-Host": "evil.example" } });

  it("replaces a client's X-Forwarded-Host with the request's own host, or APP_ORIGIN's", () => {
    expect(withAppHost(spoofed()).headers.get("X-Forwarded-Host")).toBe("127.0.0.1:3000");
    process.env.APP_ORIGIN = "https://app.example.com";
    try {
      expect(withAppHost(spoofed()).headers.get("X-Forwarded-Host")).toBe("app.example.com");
    } finally {
      delete process.env.APP_ORIGIN;
    }
  });
});
