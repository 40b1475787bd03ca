// Service keys: how a service that does the work (sending messages, storing documents) proves it may
// count a user's usage. The key is shown once; only its SHA-256 is stored — it is 32 random bytes,
// so a slow password hash would add nothing but latency to every call.
import { desc, eq, isNull, sql } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import { decodeFields, type Read, selectedAs } from "../../../db/client/reads.ts";
import type { Database } from "../../../db/client/types.ts";
import { type ServiceKey, serviceKeys } from "../../../db/schema.ts";
import { ServiceError } from "../service-error.ts";

export const SERVICE_KEY_PREFIX = "tk_svc_";
export const SERVICE_SCOPES = ["usage:write"] as const;
export type ServiceScope = (typeof SERVICE_SCOPES)[number];

/** Enough of the key to tell keys apart in a list, far too little to guess the rest. */
const SHOWN_CHARACTERS = SERVICE_KEY_PREFIX.length + 6;

export type ServiceKeyRecord = Omit<ServiceKey, "keyHash">;

const record = {
  id: serviceKeys.id,
  name: serviceKeys.name,
  keyPrefix: serviceKeys.keyPrefix,
  scopes: serviceKeys.scopes,
  createdByUserId: serviceKeys.createdByUserId,
  createdAt: serviceKeys.createdAt,
  revokedAt: serviceKeys.revokedAt,
};

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export async function createServiceKey(
  db: Database,
  input: { name: string; scopes: ServiceScope[]; createdByUserId: string; now: Date },
): Promise<{ key: string; record: ServiceKeyRecord }> {
  const key = `${SERVICE_KEY_PREFIX}${randomSecret()}`;
  const [created] = await db
    .insert(serviceKeys)
    .values({
      name: input.name,
      keyHash: await sha256Hex(key),
      keyPrefix: key.slice(0, SHOWN_CHARACTERS),
      scopes: [...new Set(input.scopes)],
      createdByUserId: input.createdByUserId,
      createdAt: input.now,
    })
    .returning(record);
  if (!created) throw new Error("insert returned no row");
  return { key, record: created };
}

/** Newest first; a Read so the admin's rights check can share its round trip (see requireAdmin). */
export const serviceKeyList: Read<ServiceKeyRecord[]> = {
  statement: new QueryBuilder()
    .select(selectedAs(record))
    .from(serviceKeys)
    .orderBy(desc(serviceKeys.createdAt), desc(serviceKeys.id))
    .getSQL(),
  decode: (rows) => rows.map((row) => decodeFields(record, row)),
};

/** Revoking twice keeps the first revocation's time; the key stops working at once either way. */
export async function revokeServiceKey(db: Database, id: string, now: Date): Promise<ServiceKeyRecord> {
  const [revoked] = await db
    .update(serviceKeys)
    .set({ revokedAt: sql`coalesce(${serviceKeys.revokedAt}, ${now.toISOString()}::timestamptz)` })
    .where(eq(serviceKeys.id, id))
    .returning(record);
  if (!revoked) throw new ServiceError("not_found", "service_key_not_found", "There is no service key with this id.");
  return revoked;
}

/** SHA-256 (hex) of a presented key: what a usage call's statement looks the key up by. */
export const hashServiceKey = sha256Hex;

/** The service key with this hash, if it is not revoked. */
export const serviceKeyMatch = (keyHash: string) =>
  sql`${serviceKeys.keyHash} = ${keyHash} AND ${isNull(serviceKeys.revokedAt)}`;
