/**
 * The higher of a user's own tier and their seat's: the rule get_user_tier() applies in the
 * database (migration 0008), for the places that already hold both tiers in memory.
 */
export function effectiveTier<T extends { tierLevel: number }>(own: T, seat: T | null | undefined): T {
  return seat && seat.tierLevel > own.tierLevel ? seat : own;
}
