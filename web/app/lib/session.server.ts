import { createCookieSessionStorage, json, redirect, type Session } from "@remix-run/node";
import { appOrigin } from "./app-origin.server.ts";

export interface SessionUser {
  id: string;
  email: string;
  display_name: string;
  is_admin: boolean;
}

export interface Toast {
  kind: "success" | "error";
  message: string;
}

interface SessionData {
  token: string;
  user: SessionUser;
}

interface FlashData {
  toast: Toast;
}

function sessionSecret(): string {
  const secret = process.env.SESSION_SECRET;
  if (secret) return secret;
  // A guessable secret would let anyone forge a session, so production refuses to start without one.
  if (process.env.NODE_ENV === "production") throw new Error("SESSION_SECRET must be set in production");
  return "tierkit-dev-session-secret";
}

const storage = createCookieSessionStorage<SessionData, FlashData>({
  cookie: {
    name: "__tierkit_session",
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: process.env.NODE_ENV === "production",
    secrets: [sessionSecret()],
    maxAge: 60 * 60 * 24 * 7,
  },
});

type AppSession = Session<SessionData, FlashData>;

export function getSession(request: Request): Promise<AppSession> {
  return storage.getSession(request.headers.get("Cookie"));
}

export async function commitHeaders(session: AppSession): Promise<Record<string, string>> {
  return { "Set-Cookie": await storage.commitSession(session) };
}

export async function getAuth(request: Request): Promise<{ token: string; user: SessionUser } | null> {
  const session = await getSession(request);
  const token = session.get("token");
  const user = session.get("user");
  return token && user ? { token, user } : null;
}

/**
 * Where a crafted ?redirectTo= may send users: resolved the way a browser would resolve it against
 * our own origin, it must stay there (backslashes, tabs and encodings that browsers read as another
 * host all resolve elsewhere). The answer is the normalized path, never the raw input.
 */
export function safeRedirect(request: Request, to: FormDataEntryValue | string | null | undefined, fallback = "/profile"): string {
  if (typeof to !== "string" || to === "") return fallback;
  const origin = appOrigin(request);
  let target: URL;
  try {
    target = new URL(to, origin);
  } catch {
    return fallback;
  }
  if (target.origin !== origin) return fallback;
  return `${target.pathname}${target.search}${target.hash}`;
}

export function loginUrl(request: Request): string {
  const url = new URL(request.url);
  return `/login?${new URLSearchParams({ redirectTo: url.pathname + url.search })}`;
}

export async function requireAuth(request: Request): Promise<{ token: string; user: SessionUser }> {
  const auth = await getAuth(request);
  if (!auth) throw redirect(loginUrl(request));
  return auth;
}

export async function requireAdmin(request: Request): Promise<{ token: string; user: SessionUser }> {
  const auth = await requireAuth(request);
  if (!auth.user.is_admin) {
    throw json({ message: "This page is for administrators only." }, { status: 403 });
  }
  return auth;
}

// The API's user carries the whole profile; the cookie (4 KB at most) keeps only what the header and guards need.
function toSessionUser(user: SessionUser): SessionUser {
  return { id: user.id, email: user.email, display_name: user.display_name, is_admin: user.is_admin };
}

export async function signIn(request: Request, token: string, user: SessionUser, to: string, toast: Toast) {
  const session = await getSession(request);
  session.set("token", token);
  session.set("user", toSessionUser(user));
  session.flash("toast", toast);
  return redirect(to, { headers: await commitHeaders(session) });
}

/**
 * Redirects with a flash message. The API re-issues the JWT after every plan or profile change so
 * its claims stay current; `update` stores the new token (and user) in the session.
 */
export async function redirectWithToast(
  request: Request,
  to: string,
  toast: Toast,
  update: { token?: string; user?: SessionUser } = {},
) {
  const session = await getSession(request);
  if (update.token) session.set("token", update.token);
  if (update.user) session.set("user", toSessionUser(update.user));
  session.flash("toast", toast);
  return redirect(to, { headers: await commitHeaders(session) });
}

/** Replaces the cookie with an empty session, which can still carry a flash message. */
export async function signOut(to: string, toast?: Toast) {
  const fresh = await storage.getSession();
  if (toast) fresh.flash("toast", toast);
  return redirect(to, { headers: await commitHeaders(fresh) });
}

export async function takeToast(request: Request): Promise<{ toast: Toast | null; headers?: Record<string, string> }> {
  const session = await getSession(request);
  const toast = session.get("toast") ?? null;
  // Only re-commit when a flash was read: a concurrent loader may be signing the user out.
  return toast ? { toast, headers: await commitHeaders(session) } : { toast: null };
}
