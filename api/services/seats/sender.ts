import type { LogEntry } from "../../env.ts";

/** What an invitation email would say; the owner also gets the link to share it themselves. */
export interface InvitationMessage {
  to: string;
  acceptUrl: string;
  ownerDisplayName: string;
  tierName: string;
  expiresAt: Date;
}

/** Delivers an invitation (an email service in production); pluggable through AppDeps.invitationSender. */
export type InvitationSender = (message: InvitationMessage) => Promise<void>;

/** The development sender: the link lands in the log, where a developer can open it. */
export function logInvitationSender(log: (entry: LogEntry) => void): InvitationSender {
  return async (message) => {
    log({
      level: "info",
      msg: "seat.invitation",
      to: message.to,
      accept_url: message.acceptUrl,
      owner: message.ownerDisplayName,
      tier: message.tierName,
      expires_at: message.expiresAt.toISOString(),
    });
  };
}
