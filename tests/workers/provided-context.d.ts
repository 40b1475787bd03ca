// What global-setup.ts (Node) hands to the tests (workerd) through vitest's provide/inject.
declare module "vitest" {
  interface ProvidedContext {
    /** URL of this run's own migrated database, or "" when DATABASE_URL is unset. */
    workerDatabaseUrl: string;
    wsProxyPort: number;
    neonHttpPort: number;
  }
}

export {};
