import { Form } from "@remix-run/react";
import { LogOut, UserPlus, Users } from "lucide-react";
import type { EffectiveSubscription, Seats } from "../../../api/http/schemas/seats.ts";
import { formatDate } from "../lib/format.ts";
import { SubmitButton } from "./Button.tsx";
import { TextField } from "./Field.tsx";
import { Notice } from "./Notice.tsx";

/** Where every seat form posts (routes/profile.seats.tsx); plain forms, so they work without JavaScript. */
const ACTION = "/profile/seats";

interface SeatsPanelProps {
  subscription: EffectiveSubscription;
  seats: Seats;
}

/** Inside Your Plan: "Shared by" for a member, the Members section for the owner of a plan with seats. */
export function SeatsPanel({ subscription, seats }: SeatsPanelProps) {
  return (
    <>
      {seats.seat && (
        <SharedBy
          ownerName={seats.seat.owner_display_name}
          tierName={seats.seat.tier_name}
          ownTier={subscription.via === "own"}
        />
      )}
      {!seats.seat && seats.seats !== 1 && seats.tier_slug && <Members seats={seats} />}
    </>
  );
}

function SharedBy({ ownerName, tierName, ownTier }: { ownerName: string; tierName: string; ownTier: boolean }) {
  return (
    <div className="mt-4">
      <Notice tone="info">
        <p>
          <strong>Shared by {ownerName}</strong> — you hold a seat on their {tierName} plan.
          {ownTier && " Your own plan is higher, so it is the one that applies."}
        </p>
        <Form method="post" action={ACTION} className="mt-2">
          <SubmitButton intent="leave" pendingLabel="Leaving…" variant="secondary">
            <LogOut aria-hidden="true" className="size-4" /> Leave shared plan
          </SubmitButton>
        </Form>
      </Notice>
    </div>
  );
}

function Members({ seats }: { seats: Seats }) {
  const full = seats.seats_left === 0;
  const capacity = seats.seats === null ? "unlimited seats" : `${seats.seats} seats`;
  return (
    <section aria-labelledby="plan-members-title" className="mt-6 border-t border-slate-200 pt-5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 id="plan-members-title" className="flex items-center gap-2 text-base font-semibold">
          <Users aria-hidden="true" className="size-4" /> Members
        </h3>
        <p className="text-sm text-slate-600" data-testid="seats-summary">
          {seats.seats_used} of {capacity} used · {seats.seats_left === null ? "no limit" : `${seats.seats_left} left`}
        </p>
      </div>

      {full ? (
        <p className="mt-3 text-sm text-slate-600">
          Every seat is taken: revoke an invitation or remove a member to invite someone else.
        </p>
      ) : (
        // Keyed by the pending count, so a sent invitation clears the field (the page is not reloaded with JavaScript).
        <Form
          key={seats.invitations.length}
          method="post"
          action={ACTION}
          className="mt-3 flex flex-wrap items-end gap-3"
        >
          <div className="min-w-56 flex-1">
            <TextField label="Invite by email" name="email" type="email" autoComplete="off" required maxLength={254} />
          </div>
          <SubmitButton intent="invite" pendingLabel="Inviting…">
            <UserPlus aria-hidden="true" className="size-4" /> Invite
          </SubmitButton>
        </Form>
      )}

      <h4 className="mt-5 text-sm font-medium text-slate-700">Pending invitations</h4>
      {seats.invitations.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500">None.</p>
      ) : (
        <ul
          aria-label="Pending invitations"
          className="mt-2 divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200"
        >
          {seats.invitations.map((invitation) => (
            <li key={invitation.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
              <span className="min-w-0 break-all">
                {invitation.email} <span className="text-slate-500">· expires {formatDate(invitation.expires_at)}</span>
              </span>
              <Form method="post" action={ACTION}>
                <input type="hidden" name="invitation_id" value={invitation.id} />
                <SubmitButton
                  intent="revoke"
                  pendingLabel="Revoking…"
                  variant="subtle"
                  aria-label={`Revoke invitation for ${invitation.email}`}
                >
                  Revoke
                </SubmitButton>
              </Form>
            </li>
          ))}
        </ul>
      )}

      <h4 className="mt-5 text-sm font-medium text-slate-700">Members</h4>
      {seats.members.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500">No one has joined yet.</p>
      ) : (
        <ul aria-label="Members" className="mt-2 divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
          {seats.members.map((member) => (
            <li key={member.user_id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
              <span className="min-w-0 break-all">
                <span className="font-medium">{member.display_name}</span>{" "}
                <span className="text-slate-500">{member.email}</span>
              </span>
              <Form method="post" action={ACTION}>
                <input type="hidden" name="user_id" value={member.user_id} />
                <SubmitButton
                  intent="remove"
                  pendingLabel="Removing…"
                  variant="subtle"
                  aria-label={`Remove ${member.display_name}`}
                >
                  Remove
                </SubmitButton>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
