import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../api/lib/password.ts";

describe("password hashing", () => {
  it("stores PBKDF2-SHA256 with its iteration count, a random salt, and verifies", async () => {
    const [a, b] = await Promise.all([hashPassword("s3cret-pass"), hashPassword("s3cret-pass")]);
    expect(a).toMatch(/^pbkdf2_sha256\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("s3cret-pass", a)).toBe(true);
    expect(await verifyPassword("s3cret-pasS", a)).toBe(false);
  });

  it("verifies hashes made with another iteration count", async () => {
    const hash = await hashPassword("s3cret-pass");
    const salt = hash.split("$")[2] as string;
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("s3cret-pass"), "PBKDF2", false, [
      "deriveBits",
    ]);
    const bits = await crypto.subtle.deriveBits(
      { name: "PBKDF2", hash: "SHA-256", salt: Buffer.from(salt, "base64"), iterations: 1000 },
      key,
      256,
    );
    const lower = `pbkdf2_sha256$1000$${salt}$${Buffer.from(bits).toString("base64")}`;
    expect(await verifyPassword("s3cret-pass", lower)).toBe(true);
  });

  it.each([
    "",
    "bcrypt$x",
    "pbkdf2_sha256$abc$c2FsdA==$aGFzaA==",
    "pbkdf2_sha256$1000$%%%$aGFzaA==",
    "pbkdf2_sha256$1000$c2FsdA==$aGFzaA==$extra",
  ])("rejects the stored value %j instead of throwing", async (stored) => {
    expect(await verifyPassword("anything", stored)).toBe(false);
  });
});
