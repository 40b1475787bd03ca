import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.ts";
import { hashServiceKey, SERVICE_KEY_PREFIX, type ServiceScope } from "../../services/usage/service-keys.ts";
import { ApiError } from "../errors/api-error.ts";

const CHALLENGE = 'Bearer realm="tierkit-services"';

/**
 * A service key, sent as `Authorization: Bearer tk_svc_…`; puts its hash on `c.var.serviceKey`. A
 * user's token is refused (401) whatever it says: usage is counted by the services that do the work,
 * never by the user whose usage it is. Whether the key is live and has the scope is checked by the
 * usage call's own statement (services/usage/usage-call.ts), so checking costs no round trip of its
 * own; `refuseCaller` gives its answer.
 */
export function requireServiceKey() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const match = /^Bearer +(\S+)$/i.exec(c.req.header("Authorization")?.trim() ?? "");
    const credential = match?.[1];
    if (!credential) {
      throw new ApiError(401, "unauthorized", "A service key is required (Authorization: Bearer tk_svc_…).", {
        headers: { "WWW-Authenticate": CHALLENGE },
      });
    }
    // Not a credential this endpoint knows, however genuine as a user's token: 401, as for any other.
    if (!credential.startsWith(SERVICE_KEY_PREFIX)) {
      throw new ApiError(401, "service_key_required", "This endpoint takes a service key, not a user's token.", {
        headers: { "WWW-Authenticate": `${CHALLENGE}, error="invalid_token"` },
      });
    }
    c.set("serviceKey", { keyHash: await hashServiceKey(credential) });
    await next();
  });
}

/** The refusal for a key that is unknown or revoked, or lacks `scope`. */
export function refuseCaller(kind: "unknown_key" | "out_of_scope", scope: ServiceScope): ApiError {
  if (kind === "unknown_key") {
    return new ApiError(401, "invalid_service_key", "The service key is unknown or has been revoked.", {
      headers: { "WWW-Authenticate": `${CHALLENGE}, error="invalid_token"` },
    });
  }
  return new ApiError(403, "insufficient_scope", `The service key lacks the ${scope} scope.`, {
    headers: { "WWW-Authenticate": `${CHALLENGE}, error="insufficient_scope", scope="${scope}"` },
  });
}
