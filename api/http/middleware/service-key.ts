import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../env.ts";
import { findServiceCaller, SERVICE_KEY_PREFIX, type ServiceScope } from "../../services/usage/service-keys.ts";
import { ApiError } from "../errors/api-error.ts";

const CHALLENGE = 'Bearer realm="tierkit-services"';

export const invalidServiceKey = () =>
  new ApiError(401, "invalid_service_key", "The service key is unknown or has been revoked.", {
    headers: { "WWW-Authenticate": `${CHALLENGE}, error="invalid_token"` },
  });

/**
 * A service key with `scope`, sent as `Authorization: Bearer tk_svc_…`; puts the service on
 * `c.var.service`. A user's token is refused (401) whatever it says: usage is counted by the services
 * that do the work, never by the user whose usage it is.
 */
export function requireServiceKey(scope: ServiceScope) {
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
    const caller = await findServiceCaller(c.var.db, credential);
    if (!caller) throw invalidServiceKey();
    if (!caller.scopes.includes(scope)) {
      throw new ApiError(403, "insufficient_scope", `The service key lacks the ${scope} scope.`, {
        headers: { "WWW-Authenticate": `${CHALLENGE}, error="insufficient_scope", scope="${scope}"` },
      });
    }
    c.set("service", caller);
    await next();
  });
}
