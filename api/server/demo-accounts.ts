import type { Database } from "../../db/client/types.ts";
import type { LogEntry } from "../env.ts";
import { ensureUser, setAdmin } from "../services/users.ts";

export const DEFAULT_ADMIN_EMAIL = "admin@tierkit.local";
/** Printed at start-up; only ever used outside production (see accountSettings). */
export const DEFAULT_ADMIN_PASSWORD = "tierkit-admin";
export const DEMO_MEMBER = { email: "member@tierkit.local", password: "tierkit-member", displayName: "Demo Member" };

export interface AccountSettings {
  admin: { email: string; password: string };
  /** The demo member is for trying the app locally; production starts without it. */
  demoMember: boolean;
}

export function accountSettings(env: NodeJS.ProcessEnv, production: boolean): AccountSettings {
  if (production && !env.ADMIN_PASSWORD) {
    throw new Error("ADMIN_PASSWORD must be set when NODE_ENV=production (the default is printed on every start).");
  }
  return {
    admin: { email: env.ADMIN_EMAIL || DEFAULT_ADMIN_EMAIL, password: env.ADMIN_PASSWORD || DEFAULT_ADMIN_PASSWORD },
    demoMember: !production,
  };
}

/**
 * Creates the admin (and the demo member) when missing; existing accounts keep their passwords.
 * An existing non-admin account named by ADMIN_EMAIL is promoted, since that is what setting it asks for.
 */
export async function ensureAccounts(
  db: Database,
  settings: AccountSettings,
  now: Date,
  log: (entry: LogEntry) => void,
): Promise<void> {
  const admin = await ensureUser(
    db,
    { email: settings.admin.email, password: settings.admin.password, displayName: "Administrator", isAdmin: true },
    now,
  );
  if (!admin.isAdmin) {
    await setAdmin(db, admin.id, true, now);
    log({ level: "warn", msg: "admin.promoted", email: admin.email });
  }
  if (settings.demoMember) await ensureUser(db, { ...DEMO_MEMBER, isAdmin: false }, now);
}
