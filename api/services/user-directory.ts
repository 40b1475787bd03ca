// Read-only queries behind the admin's user list; subscriptions are changed only by ./subscriptions.
import { type SQL, and, count, desc, eq, ilike } from "drizzle-orm";
import type { Database } from "../../db/client/types.ts";
import { userSubscriptions, userTiers, users } from "../../db/schema.ts";

const directoryColumns = {
  id: users.id,
  email: users.email,
  displayName: users.displayName,
  isAdmin: users.isAdmin,
  bio: users.bio,
  location: users.location,
  jobTitle: users.jobTitle,
  tierSlug: userTiers.slug,
  tierName: userTiers.name,
  tierLevel: userTiers.tierLevel,
  subscriptionStatus: userSubscriptions.status,
  billingCycle: userSubscriptions.billingCycle,
  currentPeriodEnd: userSubscriptions.currentPeriodEnd,
  createdAt: users.createdAt,
  lastLogin: users.lastLogin,
};

/** users.subscription_id always names the current subscription, so one join finds it. */
function directory(db: Database) {
  return db
    .select(directoryColumns)
    .from(users)
    .innerJoin(userSubscriptions, eq(userSubscriptions.id, users.subscriptionId))
    .innerJoin(userTiers, eq(userTiers.slug, userSubscriptions.tierSlug));
}

export type DirectoryUser = Awaited<ReturnType<ReturnType<typeof directory>["execute"]>>[number];

export interface DirectoryFilters {
  page: number;
  limit: number;
  tier?: string;
  /** Case-insensitive substring of the email address. */
  q?: string;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export async function listUsers(
  db: Database,
  filters: DirectoryFilters
): Promise<{ rows: DirectoryUser[]; total: number }> {
  const where: SQL | undefined = and(
    filters.tier ? eq(users.currentTierSlug, filters.tier) : undefined,
    filters.q ? ilike(users.email, `%${escapeLike(filters.q)}%`) : undefined
  );
  const [rows, [total]] = await Promise.all([
    directory(db)
      .where(where)
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(filters.limit)
      .offset((filters.page - 1) * filters.limit),
    db.select({ value: count() }).from(users).where(where),
  ]);
  return { rows, total: total?.value ?? 0 };
}

export async function findUser(db: Database, userId: string): Promise<DirectoryUser | null> {
  const [row] = await directory(db).where(eq(users.id, userId));
  return row ?? null;
}
