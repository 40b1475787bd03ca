import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll } from "vitest";
import { API_URL } from "../web/kit.ts";
import { createTestApp, type TestApp } from "./test-app.ts";

/** The test file's API, created by setupInProcessApi's beforeAll (an ESM live binding). */
export let api: TestApp;

/**
 * The web app's loaders and actions against the real API in process: msw hands every call to
 * API_URL to the Hono app, and refuses any other request.
 */
export function setupInProcessApi(): void {
  const server = setupServer(http.all(`${API_URL}/*`, ({ request }) => api.app.fetch(request)));
  beforeAll(async () => {
    // The web app reads the real clock to decide when to refresh, so the API starts at real time too.
    api = await createTestApp({ start: new Date() });
    server.listen({ onUnhandledRequest: "error" });
  });
  afterAll(async () => {
    server.close();
    await api.close();
  });
}
