import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

// Single fetch is React Router v7's data loading; opting in now also silences Remix's build warning.
declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// The Vite root stays at the repository root because Remix reads package.json from there;
// only the app and its build live under web/.
export default defineConfig({
  publicDir: "web/public",
  plugins: [
    tailwindcss(),
    remix({
      appDirectory: "web/app",
      buildDirectory: "web/build",
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
      },
    }),
  ],
  server: { port: Number(process.env.WEB_PORT ?? 3000) },
});
