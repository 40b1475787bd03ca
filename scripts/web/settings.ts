import { originField, portField, secretField, trustProxyField } from "../../api/lib/settings/fields.ts";

export const DEFAULT_WEB_PORT = 3000;

/**
 * The web server's settings. The Remix build reads SESSION_SECRET, APP_ORIGIN, WEB_API_SECRET and
 * API_URL from process.env, so the entry sets them from these after parsing.
 */
export function webShape(production: boolean) {
  return {
    WEB_PORT: portField(DEFAULT_WEB_PORT),
    // Outside production a generated one is kept in .data/ (api/server/dev-secret.ts).
    SESSION_SECRET: production ? secretField(true) : secretField(false).optional(),
    /** The public origin of the web app, when it differs from the address the server sees. */
    APP_ORIGIN: originField.optional(),
    /** Which proxy in front of the web server may name the visitor (the API's rate limits key on it). */
    TRUST_PROXY: trustProxyField("none"),
    /** Sent with the web's calls to the API so that its X-Forwarded-For is believed. */
    WEB_API_SECRET: secretField(production).optional(),
  };
}
