import { createCookieSessionStorage, json, redirect, type Session } from "@remix-run/node";
import { decodeJwt } from "jose";
import { ApiError, api } from "./api.server.ts";
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
  /** "dialog": shown inside the dialog the redirect reopens (a modal dialog covers the page's toasts). */
  placement?: "dialog";
}

interface SessionData {
  /** The API's short-lived access token. */
  token: string;
  /** Exchanged for a new pair shortly before the access token expires (absent in sessions from before). */
  refreshToken: string;
  user: SessionUser;
}

interface TokenPair {
  token: string;
  refreshToken: string;
}

/** Refresh this long before the access token expires, so no API call of a request meets an expired one. */
const REFRESH_MARGIN_MS = 60 * 1000;
const SESSION_EXPIRED = { kind: "error", message: "Your session has expired. Please log in again." } as const;

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

// Tokens refreshed while an action runs, so whatever the action commits (a redirect with a toast)
// carries them; keyed by the action's own Request object.
const refreshedDuring = new WeakMap<Request, TokenPair>();

export async function getSession(request: Request): Promise<AppSession> {
  const session = await storage.getSession(request.headers.get("Cookie"));
  const refreshed = refreshedDuring.get(request);
  if (refreshed) {
    session.set("token", refreshed.token);
    session.set("refreshToken", refreshed.refreshToken);
  }
  return session;
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
export function safeRedirect(
  request: Request,
  to: FormDataEntryValue | string | null | undefined,
  fallback = "/profile",
): string {
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

/** The expiry is only a hint for when to refresh: whether the token is any good is the API's to say. */
function expiresSoon(token: string): boolean {
  let exp: number | undefined;
  try {
    ({ exp } = decodeJwt(token));
  } catch {
    return false;
  }
  return exp !== undefined && exp * 1000 - Date.now() < REFRESH_MARGIN_MS;
}

/**
 * The signed-in user with an access token that is good for this request. Shortly before it
 * expires it is exchanged for a new pair, without the user noticing:
 * - a page load (GET) is answered with a redirect to itself that stores the new pair, so the
 *   cookie reaches the browser whatever the loaders return. Parallel loaders of one navigation
 *   each present the same refresh token; the API answers them all with the same pair (30 s grace).
 * - an action goes on with the new token, and the redirect it answers with stores the pair.
 * A refresh the API refuses (session ended, token reused) signs out.
 */
export async function requireAuth(request: Request): Promise<{ token: string; user: SessionUser }> {
  const session = await getSession(request);
  const token = session.get("token");
  const user = session.get("user");
  if (!token || !user) throw redirect(loginUrl(request));
  if (!expiresSoon(token)) return { token, user };

  const refreshToken = session.get("refreshToken");
  if (!refreshToken) throw await signOut(loginUrl(request), SESSION_EXPIRED);
  let pair: { token: string; refresh_token: string };
  try {
    pair = await api.refresh(refreshToken);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) throw await signOut(loginUrl(request), SESSION_EXPIRED);
    throw error;
  }
  if (request.method === "GET" || request.method === "HEAD") {
    session.set("token", pair.token);
    session.set("refreshToken", pair.refresh_token);
    throw redirect(new URL(request.url).pathname + new URL(request.url).search, {
      headers: await commitHeaders(session),
    });
  }
  refreshedDuring.set(request, { token: pair.token, refreshToken: pair.refresh_token });
  return { token: pair.token, user };
}

/** For an action's answer that commits nothing else (a form error): stores tokens it refreshed. */
export async function refreshedHeaders(request: Request): Promise<Record<string, string> | undefined> {
  return refreshedDuring.has(request) ? commitHeaders(await getSession(request)) : undefined;
}

export async function requireAdmin(request: Request): Promise<{ token: string; user: SessionUser }> {
  const auth = await requireAuth(request);
  if (!auth.user.is_admin) {
    throw json(
      { message: "This page is for administrators only." },
      { status: 403, headers: await refreshedHeaders(request) },
    );
  }
  return auth;
}

// The API's user carries the whole profile; the cookie (4 KB at most) keeps only what the header and guards need.
function toSessionUser(user: SessionUser): SessionUser {
  return { id: user.id, email: user.email, display_name: user.display_name, is_admin: user.is_admin };
}

export async function signIn(request: Request, tokens: TokenPair, user: SessionUser, to: string, toast: Toast) {
  const session = await getSession(request);
  session.set("token", tokens.token);
  session.set("refreshToken", tokens.refreshToken);
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

/** Ends the API session (its refresh and access tokens) and then the cookie's. */
export async function logOut(request: Request, to: string, toast?: Toast) {
  const session = await storage.getSession(request.headers.get("Cookie"));
  const refreshToken = session.get("refreshToken");
  const token = session.get("token");
  try {
    if (refreshToken) await api.logout({ refreshToken });
    else if (token) await api.logout({ token });
  } catch (error) {
    // Already ended (or never valid): the cookie is cleared all the same.
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
  }
  return signOut(to, toast);
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
