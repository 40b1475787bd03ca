import type { Env as ConsumerEnv } from "../src/index.ts";

declare global {
  namespace Cloudflare {
    interface Env extends ConsumerEnv {}
    interface GlobalProps {
      mainModule: typeof import("../src/index.ts");
    }
  }
}
