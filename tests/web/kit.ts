import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { HttpResponse, http, type JsonBodyType } from "msw";
import { commitHeaders, getSession, type SessionUser } from "../../web/app/lib/session.server.ts";

export const API_URL = "http://api.tierkit.test";
process.env.API_URL = API_URL;

export const WEB = "http://web.tierkit.test";

type DataFunction = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<Response> | Response;

/** Calls a Remix loader or action and returns its Response, whether it was returned or thrown. */
export async function run(fn: unknown, request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    const result = await (fn as DataFunction)({ request, params, context: {} });
    if (!(result instanceof Response)) throw new Error("expected a Response");
    return result;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export const member: SessionUser = {
  id: "00000000-0000-4000-8000-000000000001",
  email: "ada@example.com",
  display_name: "Ada",
  is_admin: false,
};
export const admin: SessionUser = {
  id: "00000000-0000-4000-8000-000000000002",
  email: "root@example.com",
  display_name: "Root",
  is_admin: true,
};

/** The Cookie header of a signed-in session, made with the app's own session storage. */
export async function sessionCookie(token: string, user: SessionUser): Promise<string> {
  const session = await getSession(new Request(WEB));
  session.set("token", token);
  session.set("user", user);
  return cookieFrom((await commitHeaders(session))["Set-Cookie"]);
}

function cookieFrom(setCookie: string | null | undefined): string {
  if (!setCookie) throw new Error("no Set-Cookie");
  return setCookie.split(";")[0] ?? "";
}

export function get(path: string, cookie?: string): Request {
  return new Request(`${WEB}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

export function post(path: string, fields: Record<string, string>, cookie?: string): Request {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (cookie) headers.Cookie = cookie;
  return new Request(`${WEB}${path}`, { method: "POST", headers, body: new URLSearchParams(fields).toString() });
}

/** What the browser would hold after this response: the new cookie, its token and its flash message. */
export async function afterResponse(response: Response) {
  const cookie = cookieFrom(response.headers.get("Set-Cookie"));
  const session = await getSession(get("/", cookie));
  return { cookie, token: session.get("token"), user: session.get("user"), toast: session.get("toast") };
}

export function apiError(status: number, code: string, message: string) {
  return HttpResponse.json({ success: false, error: { code, message } } satisfies JsonBodyType, { status });
}

/** An msw handler answering one API path with an error (or a dropped connection). */
export function failing(method: "get" | "post" | "patch" | "delete", path: string, response: () => Response) {
  return http[method](`${API_URL}${path}`, response);
}
