import { z } from "zod";
import { nodeApiShape } from "../api/server/settings.ts";
import { parseSettings } from "../api/lib/settings/parse.ts";
import { webShape } from "./web/settings.ts";

/** `npm start` runs both halves, so one schema covers both and one message lists every problem of either. */
export function parseStartSettings(env: Record<string, string | undefined>) {
  const production = env.NODE_ENV === "production";
  return parseSettings(z.object({ ...nodeApiShape(production), ...webShape(production) }), env);
}
