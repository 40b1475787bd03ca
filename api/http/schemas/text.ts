import { z } from "zod";

// PostgreSQL text cannot hold NUL (the insert fails: a 500), and an unpaired UTF-16 surrogate is
// silently replaced when encoded as UTF-8, so the stored text would differ from what was accepted.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point: they are refused.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when `text` survives UTF-8 encoding unchanged (no unpaired surrogate). */
export const isWellFormed = (text: string) => !LONE_SURROGATE.test(text);
export const NOT_WELL_FORMED = "Must be valid Unicode text.";

/** Free text from a user (reasons, searches): trimmed, `min` to `max` characters, storable as is. */
export const userText = (max: number, min = 0) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((text) => !CONTROL.test(text), "Must not contain control characters.")
    .refine(isWellFormed, NOT_WELL_FORMED);
