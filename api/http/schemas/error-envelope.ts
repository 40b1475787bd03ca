import { z } from "@hono/zod-openapi";

/** One field (or header, or parameter) a refusal is about. */
export const FieldProblemJson = z.strictObject({ path: z.string(), message: z.string() }).openapi("FieldProblem");

/** The one error body every endpoint answers with; `details` lists the fields a refusal is about. */
export const ErrorEnvelope = z
  .strictObject({
    success: z.literal(false),
    error: z.strictObject({
      code: z.string(),
      message: z.string(),
      details: z.array(FieldProblemJson).optional(),
    }),
  })
  .openapi("Error");

export type ErrorBody = z.output<typeof ErrorEnvelope>;
export type FieldProblem = z.output<typeof FieldProblemJson>;
