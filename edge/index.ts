// tierkit/edge: gate a Hono app (a Worker or a Node service) by the tierkit tier of its caller,
// verifying tierkit's access tokens locally, and count usage with a service key.

export type { TierkitClaims } from "./claims.ts";
export type { ErrorEnvelope } from "./errors.ts";
export { requireFeature } from "./require-feature/index.ts";
export { requireTier } from "./require-tier/index.ts";
export {
  createUsageClient,
  TierkitError,
  type UsageCall,
  type UsageClientOptions,
  type UsageCounted,
  type UsageRefused,
} from "./usage-client/index.ts";
export { type TierkitOptions, tierkit } from "./verify/index.ts";
