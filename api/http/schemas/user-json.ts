import { z } from "@hono/zod-openapi";
import { isoTime } from "./tier-json.ts";

/** The caller's account as the auth and profile endpoints answer it. */
export const UserJson = z
  .strictObject({
    id: z.uuid(),
    email: z.string(),
    display_name: z.string(),
    is_admin: z.boolean(),
    bio: z.string().nullable(),
    location: z.string().nullable(),
    job_title: z.string().nullable(),
    tier_slug: z.string(),
    tier_level: z.int(),
    subscription_status: z.string(),
    created_at: isoTime,
    last_login: isoTime.nullable(),
  })
  .openapi("User");

export type User = z.output<typeof UserJson>;
