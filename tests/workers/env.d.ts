import type { WorkerEnv } from "../../api/worker.ts";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {}
    interface GlobalProps {
      mainModule: typeof import("../../api/worker.ts");
    }
  }
}
