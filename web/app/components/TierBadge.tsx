import { Briefcase, Crown, Heart, Users, Zap, type LucideIcon } from "lucide-react";
import { isTierSlug, type TierSlug } from "../lib/tier-slugs.ts";

// Full class names, written out, so Tailwind's scanner can find them.
const TIER_STYLES: Record<TierSlug, { label: string; icon: LucideIcon; badge: string; bar: string; selectedRing: string }> =
  {
    member: { label: "Member", icon: Users, badge: "bg-gray-100 text-gray-700 ring-gray-300", bar: "bg-gray-400", selectedRing: "has-[:checked]:ring-gray-400" },
    pro: { label: "Pro", icon: Zap, badge: "bg-blue-50 text-blue-700 ring-blue-300", bar: "bg-blue-500", selectedRing: "has-[:checked]:ring-blue-500" },
    business: {
      label: "Business",
      icon: Briefcase,
      badge: "bg-purple-50 text-purple-700 ring-purple-300",
      bar: "bg-purple-500",
      selectedRing: "has-[:checked]:ring-purple-500",
    },
    elite: { label: "Elite", icon: Crown, badge: "bg-yellow-50 text-yellow-800 ring-yellow-400", bar: "bg-yellow-400", selectedRing: "has-[:checked]:ring-yellow-400" },
    family: { label: "Family", icon: Heart, badge: "bg-pink-50 text-pink-700 ring-pink-300", bar: "bg-pink-500", selectedRing: "has-[:checked]:ring-pink-500" },
  };

const SIZES = {
  sm: { box: "gap-1 px-2 py-0.5 text-xs", icon: "size-3" },
  md: { box: "gap-1.5 px-2.5 py-1 text-sm", icon: "size-4" },
  lg: { box: "gap-2 px-3.5 py-1.5 text-base", icon: "size-5" },
} as const;

export function tierStyle(slug: string) {
  return TIER_STYLES[isTierSlug(slug) ? slug : "member"];
}

interface TierBadgeProps {
  tier: string;
  size?: keyof typeof SIZES;
  showIcon?: boolean;
}

export function TierBadge({ tier, size = "md", showIcon = true }: TierBadgeProps) {
  const style = tierStyle(tier);
  const Icon = style.icon;
  const sizing = SIZES[size];
  return (
    <span
      className={`inline-flex items-center rounded-full font-semibold ring-1 ring-inset whitespace-nowrap ${style.badge} ${sizing.box}`}
      data-tier={tier}
    >
      {showIcon && <Icon aria-hidden="true" className={sizing.icon} />}
      {isTierSlug(tier) ? style.label : tier}
    </span>
  );
}
