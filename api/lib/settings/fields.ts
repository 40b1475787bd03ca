import { z } from "zod";
import type { TrustProxy } from "../client-address.ts";
import { DEFAULT_ACCESS_TOKEN_TTL_SECONDS } from "../tokens/access-token.ts";
import { readSigningKeys } from "../tokens/signing-keys.ts";

// The pieces every entry's settings schema is built from (api/server/settings.ts for Node,
// api/worker-settings.ts for the Worker, scripts/web/settings.ts for the web server), so a setting
// means the same thing and is checked the same way wherever it is read.

export const HOW_TO_GENERATE_SECRET = "generate one with `openssl rand -base64 48`";
export const MIN_SECRET_BYTES = 32;
export const MIN_ADMIN_PASSWORD_LENGTH = 12;

const bytes = (text: string) => new TextEncoder().encode(text).length;

export const portField = (fallback: number) =>
  z
    .string()
    .regex(/^\d{1,5}$/, "must be a port number (0-65535)")
    .transform(Number)
    .refine((port) => port <= 65535, "must be a port number (0-65535)")
    .default(fallback);

/**
 * A signing secret. Outside production any value works (laptops get a generated one); production
 * refuses one short enough to guess or brute-force.
 */
export const secretField = (production: boolean) =>
  production
    ? z.string().superRefine((value, ctx) => {
        const length = bytes(value);
        if (length >= MIN_SECRET_BYTES) return;
        ctx.addIssue({
          code: "custom",
          message: `must be at least ${MIN_SECRET_BYTES} bytes when NODE_ENV=production (it is ${length}); ${HOW_TO_GENERATE_SECRET}`,
        });
      })
    : z.string();

export const adminPasswordField = (production: boolean) =>
  production
    ? z
        .string({
          error: `must be set when NODE_ENV=production (the default is printed on every start); ${HOW_TO_GENERATE_SECRET}`,
        })
        .min(
          MIN_ADMIN_PASSWORD_LENGTH,
          `must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters when NODE_ENV=production; ${HOW_TO_GENERATE_SECRET}`,
        )
    : z.string().optional();

export const booleanField = z
  .enum(["true", "false", "1", "0"], { error: 'must be "true" or "false"' })
  .transform((value) => value === "true" || value === "1")
  .default(false);

/** An http(s) origin such as `https://app.example.com`; a trailing slash is tolerated, a path is not. */
export const originField = z
  .string()
  .refine((value) => URL.canParse(value), "must be an origin such as https://app.example.com")
  .transform((value) => new URL(value))
  .refine((url) => url.protocol === "http:" || url.protocol === "https:", "must start with http:// or https://")
  .refine(
    (url) => url.pathname === "/" && !url.search && !url.hash,
    "must be an origin only (scheme, host, port), no path",
  )
  .transform((url) => url.origin);

/** CORS_ORIGINS as operators write it: comma-separated origins, spaces allowed, empty means none. */
export const originListField = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(z.array(originField))
  .transform((origins) => (origins.length ? origins : undefined))
  .optional();

const address = z.union([z.ipv4(), z.ipv6()]);

/** TRUST_PROXY: `none`, `cloudflare`, or the comma-separated addresses of the proxies in front of us. */
export const trustProxyField = (fallback: "none" | "cloudflare") =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx): TrustProxy => {
      const text = value.trim().toLowerCase();
      if (text === "none" || text === "cloudflare") return { kind: text };
      const addresses = text
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean);
      const wrong = addresses.filter((entry) => !address.safeParse(entry).success);
      if (addresses.length === 0 || wrong.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `must be "none", "cloudflare" or a comma-separated list of IP addresses${wrong.length ? ` (not addresses: ${wrong.join(", ")})` : ""}`,
        });
        return z.NEVER;
      }
      return { kind: "addresses", addresses };
    });

export const postgresUrlField = z
  .string()
  .refine(
    (value) => URL.canParse(value) && ["postgres:", "postgresql:"].includes(new URL(value).protocol),
    "must be a postgres:// or postgresql:// connection URL",
  );

const MIN_TTL_SECONDS = 60;
const MAX_TTL_SECONDS = 24 * 60 * 60;
const ttlMessage = `must be whole seconds from ${MIN_TTL_SECONDS} to ${MAX_TTL_SECONDS}`;

/** ACCESS_TOKEN_TTL: whole seconds, 60 to 86400; 900 (15 minutes) when unset. */
export const accessTokenTtlField = z
  .string()
  .regex(/^\d+$/, ttlMessage)
  .transform(Number)
  .refine((seconds) => seconds >= MIN_TTL_SECONDS && seconds <= MAX_TTL_SECONDS, ttlMessage)
  .default(DEFAULT_ACCESS_TOKEN_TTL_SECONDS);

/**
 * JWT_SIGNING_KEYS: a JSON array of private EC P-256 JWKs, the first signing, all verifying.
 * `when` says when it is required (laptops get a generated one instead).
 */
export const signingKeysField = (when?: string) =>
  z
    .string({
      error: `must be set${when ? ` ${when}` : ""} (a JSON array of private EC P-256 JWKs; \`npm run keys:generate\` makes one)`,
    })
    .transform((json, ctx) => {
      const read = readSigningKeys(json);
      if ("keys" in read) return read.keys;
      ctx.addIssue({ code: "custom", message: read.problem });
      return z.NEVER;
    });
