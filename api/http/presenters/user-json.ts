import type { Account } from "../../services/users.ts";

export interface UserJson {
  id: string;
  email: string;
  display_name: string;
  is_admin: boolean;
  bio: string | null;
  location: string | null;
  job_title: string | null;
  tier_slug: string;
  tier_level: number;
  subscription_status: string;
  created_at: string;
  last_login: string | null;
}

export function userJson(account: Account): UserJson {
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
