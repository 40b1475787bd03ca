declare global {
  namespace Cloudflare {
    interface Env extends import("../src/index.ts").Env {}
    interface GlobalProps {
      mainModule: typeof import("../src/index.ts");
    }
  }
}

export {};
