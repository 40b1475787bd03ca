// Request bodies of the auth and profile endpoints: api/http/routes/auth.ts and profile.ts validate with
// these, and the OpenAPI document describes them.
import { z } from "zod";
import { isWellFormed, NOT_WELL_FORMED, userText } from "./text.ts";

// A password is hashed as UTF-8: an unpaired surrogate would silently become U+FFFD, so two
// different passwords would share a hash.
const password = (min: number, message?: string) =>
  z.string().min(min, message).max(128).refine(isWellFormed, NOT_WELL_FORMED);

export const signupBody = z.object({
  email: userText(254).pipe(z.email("Enter a valid email address.")),
  password: password(8, "Passwords have at least 8 characters."),
  display_name: userText(100, 1),
});

export const loginBody = z.object({
  email: userText(254, 1),
  password: password(1),
});

// Optional profile texts: trimmed, and null (or an empty string) clears them.
const clearableText = (max: number) =>
  userText(max)
    .transform((value) => (value === "" ? null : value))
    .nullable()
    .optional();

export const profilePatch = z
  .strictObject({
    display_name: userText(100, 1).optional(),
    bio: clearableText(500),
    location: clearableText(100),
    job_title: clearableText(100),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: "Give at least one of display_name, bio, location, job_title.",
  });
