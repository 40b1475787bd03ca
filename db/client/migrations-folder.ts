// Node only: workerd has no file URL for a bundled module, so computing this path at import time
// would crash the Worker at startup. Kept out of types.ts, which the Worker bundle imports.
export const MIGRATIONS_FOLDER = new URL("../migrations", import.meta.url).pathname;
