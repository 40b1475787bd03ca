import type { Account } from "../../services/users.ts";
import type { User } from "../schemas/user-json.ts";

export function userJson(account: Account): User {
  return {
    id: account.id,
    email: account.email,
    display_name: account.displayName,
    is_admin: account.isAdmin,
    bio: account.bio,
    location: account.location,
    job_title: account.jobTitle,
    tier_slug: account.tierSlug,
    tier_level: account.tierLevel,
    subscription_status: account.subscriptionStatus,
    created_at: account.createdAt.toISOString(),
    last_login: account.lastLogin ? account.lastLogin.toISOString() : null,
  };
}
