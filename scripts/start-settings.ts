import { z } from "zod";
import { parseSettings } from "../api/lib/settings/parse.ts";
import { nodeApiShape } from "../api/server/settings.ts";
import { checkPaymentSettings } from "../api/services/payments/settings.ts";
import { webShape } from "./web/settings.ts";

/** `npm start` runs both halves, so one schema covers both and one message lists every problem of either. */
export function parseStartSettings(env: Record<string, string | undefined>) {
  const production = env.NODE_ENV === "production";
  const schema = z
    .object({ ...nodeApiShape(production), ...webShape(production) })
    .superRefine(checkPaymentSettings({ appUrlFallback: true }), { when: () => true });
  return parseSettings(schema, env);
}
