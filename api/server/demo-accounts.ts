import type { Database } from "../../db/client/types.ts";
import type { LogEntry } from "../env.ts";
import { ensureUser, setAdmin } from "../services/users.ts";

export const DEFAULT_ADMIN_EMAIL = "admin@tierkit.local";
/** Printed at start-up; only ever used outside production (the settings require ADMIN_PASSWORD there). */
export const DEFAULT_ADMIN_PASSWORD = "tierkit-admin";
export const DEMO_MEMBER = { email: "member@tierkit.local", password: "tierkit-member", displayName: "Demo Member" };

export interface AccountSettings {
  admin: { email: string; password: string };
  /** The demo member is for trying the app locally; production starts without it. */
  demoMember: boolean;
  /** ADMIN_PROMOTE_EXISTING: an existing account named by ADMIN_EMAIL may be made admin. */
  promoteExisting?: boolean;
}

/**
 * Creates the admin (and the demo member) when missing; existing accounts keep their passwords.
 * An existing account named by ADMIN_EMAIL that is not admin is refused, not promoted: whoever
 * signed up with that email would otherwise be handed the admin rights. The operator opts in.
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
    if (!settings.promoteExisting) {
      throw new Error(
        `ADMIN_EMAIL names ${admin.email}, an existing account that is not an admin. Set ADMIN_PROMOTE_EXISTING=true to make it admin (its password stays the one its owner chose), or choose another ADMIN_EMAIL.`,
      );
    }
    await setAdmin(db, admin.id, true, now);
    log({ level: "warn", msg: "admin.promoted", email: admin.email });
  }
  if (settings.demoMember) await ensureUser(db, { ...DEMO_MEMBER, isAdmin: false }, now);
}
