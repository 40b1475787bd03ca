// tierkit/edge: gate a Hono app (a Worker or a Node service) by the tierkit tier of its caller,
// verifying tierkit's access tokens locally, and count usage with a service key.
export { type TierkitOptions, tierkit } from "./verify/index.ts";
export { requireTier } from "./require-tier/index.ts";
export { requireFeature } from "./require-feature/index.ts";
export type { TierkitClaims } from "./claims.ts";
export type { ErrorEnvelope } from "./errors.ts";
export {
  TierkitError,
  type UsageCall,
  type UsageClientOptions,
  type UsageCounted,
  type UsageRefused,
  createUsageClient,
} from "./usage-client/index.ts";
