import { ServiceError } from "../service-error.ts";

export type SessionErrorCode = "invalid_refresh_token" | "refresh_token_reused" | "session_revoked";

/** Refusals of a refresh or logout; all answer 401, so a client's only move is to sign in again. */
export class SessionError extends ServiceError<SessionErrorCode> {
  constructor(code: SessionErrorCode, message: string) {
    super("unauthenticated", code, message);
    this.name = "SessionError";
  }
}

export const unknownRefreshToken = () =>
  new SessionError("invalid_refresh_token", "The refresh token is not valid; sign in again.");
