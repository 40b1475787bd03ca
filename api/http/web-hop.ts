/**
 * The header with which the web server's calls to the API carry WEB_API_SECRET. The web imports
 * only the type (web → api is type-only), so the compiler keeps both spellings one.
 */
export const WEB_HOP_HEADER = "X-Tierkit-Web-Hop" as const;
export type WebHopHeader = typeof WEB_HOP_HEADER;
