import { fileURLToPath } from "node:url";

/** Local state of `npm start` (PGlite files, generated dev secrets), git-ignored at the repo root. */
export const LOCAL_DATA_DIR = fileURLToPath(new URL("../../.data/", import.meta.url));

/** Where the embedded database lives when DATABASE_URL is unset. */
export const LOCAL_PGLITE_DIR = `${LOCAL_DATA_DIR}pglite`;
