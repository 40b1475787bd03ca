// One function per query. Services know no HTTP: refusals are ServiceErrors the error handler maps.
import { and, eq, getTableColumns, type SQL, sql } from "drizzle-orm";
import { QueryBuilder } from "drizzle-orm/pg-core";
import { runBatch } from "../../db/client/batch.ts";
import { decodeFields, type Read, read, rowFromJson, selectedAs } from "../../db/client/reads.ts";
import { hasSqlState, UNIQUE_VIOLATION } from "../../db/client/sql-state.ts";
import type { Database } from "../../db/client/types.ts";
import { type Tier, type User, userSubscriptions, users, userTiers } from "../../db/schema.ts";
import { hashPassword } from "../lib/password.ts";
import { currentSubscriptionJoin, currentTier, effectiveTierJoin, tierOf } from "./account-claims.ts";
import { currentSubscriptionOf } from "./current-subscription.ts";
import { ServiceError } from "./service-error.ts";
import { liveSession } from "./sessions/live-session.ts";
import { activeTierRead, memberSubscriptionWrite } from "./subscriptions/index.ts";

export class EmailTakenError extends ServiceError<"email_taken"> {
  constructor() {
    super("conflict", "email_taken", "An account with this email already exists.");
    this.name = "EmailTakenError";
  }
}

/**
 * A user with their effective tier (their own or a seat's, the higher; its features included) and
 * their own subscription's status.
 */
export type Account = User & {
  tierSlug: string;
  tierLevel: number;
  subscriptionStatus: string;
  tierFeatures: Record<string, unknown>;
  trialEndsAt: Date | null;
};

export interface NewUser {
  email: string;
  password: string;
  displayName: string;
  isAdmin?: boolean;
}

export interface ProfileChanges {
  displayName?: string;
  bio?: string | null;
  location?: string | null;
  jobTitle?: string | null;
}

const normalizeEmail = (email: string) => email.trim();

/** The CTE a statement that writes the user names the written row by (one row with the users columns). */
const ACCOUNT = "account";

/**
 * Data-modifying statements that run inside the statement writing the user (a new session): they
 * read the written user from `account`, a relation of one row with an `id` column (none when the
 * user is gone, and then they write nothing).
 */
export type Alongside = (account: SQL) => SQL[];

function alongsideOf(db: Database, alongside: Alongside | undefined) {
  return (alongside?.(sql`${sql.identifier(ACCOUNT)}`) ?? []).map((write, i) =>
    db.$with(`alongside_${i}`, {}).as(write),
  );
}

/**
 * The user (with `alongside`, in the same statement) and their member subscription (with its
 * `created` history row) commit together or not at all.
 */
export async function createUser(
  db: Database,
  input: NewUser,
  now: Date,
  alongside?: Alongside,
  /** The member tier when the caller read it already (sign-up reads it with its limits). */
  member?: Tier,
): Promise<Account> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  const memberTier = member ?? (await read(db, activeTierRead("member")));
  // The id is made here so the member subscription's statement can name it: both go in one batch.
  const id = crypto.randomUUID();
  const inserted = db.$with(ACCOUNT).as(
    db
      .insert(users)
      .values({
        id,
        email,
        displayName: input.displayName,
        passwordHash,
        isAdmin: input.isAdmin ?? false,
        createdAt: now,
        updatedAt: now,
      })
      .returning(),
  );
  const writeUser = db
    .with(inserted, ...alongsideOf(db, alongside))
    .select()
    .from(inserted)
    .getSQL();
  const subscription = memberSubscriptionWrite(id, memberTier, now);
  try {
    const [rows] = await runBatch(db, [writeUser, subscription.statement]);
    const user = rowFromJson(users, rows?.[0]);
    if (!user) throw new Error("insert returned no row");
    const { row } = subscription;
    return {
      ...user,
      subscriptionId: row.id,
      currentTierSlug: row.tierSlug,
      tierSlug: row.tierSlug,
      tierLevel: row.tier.tierLevel,
      subscriptionStatus: row.status,
      tierFeatures: { ...row.tier.features },
      // The member subscription's history row bumped the version in the database.
      planVersion: user.planVersion + 1,
      trialEndsAt: null,
    };
  } catch (error) {
    if (hasSqlState(error, UNIQUE_VIOLATION)) throw new EmailTakenError();
    throw error;
  }
}

/** Creates the user only when no account has the email (demo accounts at start-up). */
export async function ensureUser(db: Database, input: NewUser, now: Date): Promise<User> {
  const existing = await findUserByEmail(db, input.email);
  if (existing) return existing;
  try {
    return await createUser(db, input, now);
  } catch (error) {
    // Another process created it between the look-up and the insert.
    if (!(error instanceof EmailTakenError)) throw error;
    const created = await findUserByEmail(db, input.email);
    if (!created) throw error;
    return created;
  }
}

/** The account with this email (case-insensitively), as a Read so a login can batch it with its limits. */
export function userByEmail(email: string): Read<User | null> {
  const columns = getTableColumns(users);
  return {
    statement: new QueryBuilder()
      .select(selectedAs(columns))
      .from(users)
      .where(sql`lower(${users.email}) = lower(${normalizeEmail(email)})`)
      .getSQL(),
    decode: ([row]) => (row ? decodeFields(columns, row) : null),
  };
}

export function findUserByEmail(db: Database, email: string): Promise<User | null> {
  return read(db, userByEmail(email));
}

/**
 * The rights as stored now, not as any token says; null when the user is gone or `sid`, the
 * caller's session, has ended.
 */
export async function findUserRights(db: Database, userId: string, sid?: string): Promise<{ isAdmin: boolean } | null> {
  const [row] = await db
    .select({ isAdmin: users.isAdmin })
    .from(users)
    .where(and(eq(users.id, userId), liveSession(users.id, sid)));
  return row ?? null;
}

/** What assert_admin (migration 0010) raises: the caller is gone or its session ended / is no admin. */
export const CALLER_GONE_STATE = "TK401";
export const NOT_ADMIN_STATE = "TK403";

/**
 * The caller's admin rights as stored now (not as any token says) as a statement that refuses
 * rather than answers: it raises CALLER_GONE_STATE when the user is gone or `sid`, the caller's
 * session, has ended, and NOT_ADMIN_STATE when the user is no admin. At the head of a batch it
 * aborts the batch before the statements after it run.
 */
export function adminGuard(userId: string, sid?: string): SQL {
  const where = and(eq(users.id, userId), liveSession(users.id, sid));
  return sql`SELECT assert_admin((SELECT ${users.isAdmin} FROM ${users} WHERE ${where})) AS admin`;
}

/**
 * Stamps last_login and answers with the account as it is now, with `alongside` (a new session) in
 * the same statement; null, and nothing written, when the user is gone.
 */
export function recordLogin(db: Database, userId: string, now: Date, alongside?: Alongside): Promise<Account | null> {
  return updateAccount(db, userId, { lastLogin: now, updatedAt: now }, undefined, alongside);
}

/** Null when the user is gone or `sid`, the caller's session, has ended (nothing is changed then). */
export function updateProfile(
  db: Database,
  userId: string,
  changes: ProfileChanges,
  now: Date,
  sid?: string,
): Promise<Account | null> {
  return updateAccount(db, userId, { ...changes, updatedAt: now }, sid);
}

/** The update and the read of the updated account (with its tier) in one statement. */
async function updateAccount(
  db: Database,
  userId: string,
  set: Partial<typeof users.$inferInsert>,
  sid?: string,
  alongside?: Alongside,
): Promise<Account | null> {
  const updated = db.$with(ACCOUNT).as(
    db
      .update(users)
      .set(set)
      .where(and(eq(users.id, userId), liveSession(users.id, sid)))
      .returning(),
  );
  const [row] = await db
    .with(updated, ...alongsideOf(db, alongside))
    .select({
      user: {
        id: updated.id,
        email: updated.email,
        displayName: updated.displayName,
        passwordHash: updated.passwordHash,
        isAdmin: updated.isAdmin,
        bio: updated.bio,
        location: updated.location,
        jobTitle: updated.jobTitle,
        lastLogin: updated.lastLogin,
        subscriptionId: updated.subscriptionId,
        currentTierSlug: updated.currentTierSlug,
        planVersion: updated.planVersion,
        stripeCustomerId: updated.stripeCustomerId,
        createdAt: updated.createdAt,
        updatedAt: updated.updatedAt,
      },
      ...currentTier,
    })
    .from(updated)
    .leftJoin(userSubscriptions, currentSubscriptionOf(updated.id))
    .leftJoin(userTiers, effectiveTierJoin(updated.id));
  return row ? { ...row.user, ...tierOf(row) } : null;
}

export async function setAdmin(db: Database, userId: string, isAdmin: boolean, now: Date): Promise<void> {
  await db.update(users).set({ isAdmin, updatedAt: now }).where(eq(users.id, userId));
}

/** Null when the user is gone or `sid`, the caller's session, has ended. */
export async function findAccount(db: Database, userId: string, sid?: string): Promise<Account | null> {
  const [row] = await db
    .select({ user: users, ...currentTier })
    .from(users)
    .leftJoin(userSubscriptions, currentSubscriptionJoin)
    .leftJoin(userTiers, effectiveTierJoin(users.id))
    .where(and(eq(users.id, userId), liveSession(users.id, sid)));
  return row ? { ...row.user, ...tierOf(row) } : null;
}

export { type AccountClaims, claimsFromRow, claimsOf, getTokenClaims, tokenClaimsQuery } from "./account-claims.ts";
