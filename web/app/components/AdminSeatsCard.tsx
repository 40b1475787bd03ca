import { Form, Link } from "@remix-run/react";
import type { Seats } from "../../../api/http/schemas/seats.ts";
import { formatDate } from "../lib/format.ts";
import { SubmitButton } from "./Button.tsx";
import { TextField } from "./Field.tsx";

/**
 * The admin's view of a user's seats: the plan they hold a seat on, or the members and invitations
 * of their own shared plan, with a remove form per member (routes/admin.users.$userId.seats.tsx).
 */
export function AdminSeatsCard({ userId, seats }: { userId: string; seats: Seats }) {
  if (seats.seat) {
    return (
      <p className="text-sm">
        Holds a seat on{" "}
        <Link to={`/admin/users/${seats.seat.owner_id}`} className="font-medium text-indigo-700 hover:underline">
          {seats.seat.owner_display_name}
        </Link>
        's {seats.seat.tier_name} plan since {formatDate(seats.seat.joined_at)}. The tier shown above is the user's own.
      </p>
    );
  }
  if (seats.seats === 1)
    return <p className="text-sm text-slate-600">This user's plan has no seats to share and they hold none.</p>;
  return (
    <div className="space-y-4 text-sm">
      <p>
        {seats.seats_used} of {seats.seats ?? "unlimited"} seats used (the owner, {seats.members.length} members,{" "}
        {seats.invitations.length} pending invitations).
      </p>
      {seats.members.length === 0 ? (
        <p className="text-slate-600">No members.</p>
      ) : (
        <ul aria-label="Seat members" className="divide-y divide-slate-100 rounded-lg ring-1 ring-slate-200">
          {seats.members.map((member) => (
            <li key={member.user_id} className="space-y-2 px-3 py-3">
              <div>
                <Link to={`/admin/users/${member.user_id}`} className="font-medium text-indigo-700 hover:underline">
                  {member.display_name}
                </Link>{" "}
                <span className="text-slate-500">
                  {member.email} · joined {formatDate(member.joined_at)}
                </span>
              </div>
              <Form method="post" action={`/admin/users/${userId}/seats`} className="flex flex-wrap items-end gap-2">
                <input type="hidden" name="member_id" value={member.user_id} />
                <div className="min-w-48 flex-1">
                  <TextField
                    label={`Reason for removing ${member.display_name} (optional)`}
                    name="reason"
                    maxLength={500}
                  />
                </div>
                <SubmitButton pendingLabel="Removing…" variant="danger">
                  Remove {member.display_name}
                </SubmitButton>
              </Form>
            </li>
          ))}
        </ul>
      )}
      {seats.invitations.length > 0 && (
        <ul aria-label="Pending invitations" className="list-inside list-disc text-slate-600">
          {seats.invitations.map((invitation) => (
            <li key={invitation.id}>
              {invitation.email}, expires {formatDate(invitation.expires_at)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
