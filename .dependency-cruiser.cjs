/**
 * The layering rule (docs/decisions/011-layers.md): the HTTP boundary sits above the services,
 * which sit above api/lib (crypto, driver errors, logging) and db/. The web and the edge consumer
 * package see the API only through types.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "services-know-no-http",
      comment:
        "Services are called by routes, the cron and the CLIs; they must not reach back into HTTP or the entries.",
      severity: "error",
      from: { path: "^api/services/" },
      to: { path: "^api/(http/|server/|app\\.ts|worker(-scheduled)?\\.ts|node\\.ts)" },
    },
    {
      name: "lib-sits-below-services",
      comment: "api/lib holds what services build on (crypto, driver errors, logging).",
      severity: "error",
      from: { path: "^api/lib/" },
      to: { path: "^api/(services|http|server)/|^api/(app|worker|worker-scheduled|node)\\.ts" },
    },
    {
      name: "db-sits-below-api",
      severity: "error",
      from: { path: "^db/" },
      to: { path: "^(api|web|edge)/" },
    },
    {
      name: "http-is-not-an-entry",
      comment: "Entries (Worker, Node server, CLIs) compose the HTTP app, not the other way round.",
      severity: "error",
      from: { path: "^api/http/" },
      to: { path: "^api/(server/|worker(-scheduled)?\\.ts|node\\.ts)" },
    },
    {
      name: "web-imports-only-api-types",
      comment: "The web talks to the API over HTTP; it may borrow the API's types, never its code.",
      severity: "error",
      from: { path: "^web/" },
      to: { path: "^(api|db)/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "edge-package-stands-alone",
      comment:
        "tierkit/edge is published to other services; it shares types, and at runtime only the dependency-free reading of a tier's features (one definition for the API and its consumers).",
      severity: "error",
      from: { path: "^edge/" },
      to: {
        path: "^(api|db|web)/",
        pathNot: "^api/services/entitlements/features\\.ts$",
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "no-circular",
      comment: "A cycle through type-only imports (a component typing its route's loader) is harmless.",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|web/build|dist|\\.wrangler)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
    },
  },
};
