import { tierStyle } from "../lib/tier-style.ts";
import type { TierRef } from "../lib/tiers.ts";

const SIZES = {
  sm: { box: "gap-1 px-2 py-0.5 text-xs", icon: "size-3" },
  md: { box: "gap-1.5 px-2.5 py-1 text-sm", icon: "size-4" },
  lg: { box: "gap-2 px-3.5 py-1.5 text-base", icon: "size-5" },
} as const;

interface TierBadgeProps {
  tier: TierRef;
  size?: keyof typeof SIZES;
  showIcon?: boolean;
}

/** A tier's name in its colours; any tier, including one added after this code was written. */
export function TierBadge({ tier, size = "md", showIcon = true }: TierBadgeProps) {
  const style = tierStyle(tier.level);
  const Icon = style.icon;
  const sizing = SIZES[size];
  return (
    <span
      className={`inline-flex items-center rounded-full font-semibold ring-1 ring-inset whitespace-nowrap ${style.badge} ${sizing.box}`}
      data-tier={tier.slug}
    >
      {showIcon && <Icon aria-hidden="true" className={sizing.icon} />}
      <bdi>{tier.name}</bdi>
    </span>
  );
}
