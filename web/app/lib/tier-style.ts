import { Briefcase, Crown, Gem, Heart, type LucideIcon, Rocket, Star, Tag, Users, Zap } from "lucide-react";

export interface TierStyle {
  icon: LucideIcon;
  badge: string;
  bar: string;
  selectedRing: string;
}

// The catalog has no colours, so a tier's style follows its level: the launch tiers keep the colours
// of the design (levels 1-5), higher levels take the next ones and wrap around. Full class names,
// written out, so Tailwind's scanner can find them.
const BY_LEVEL: TierStyle[] = [
  {
    icon: Users,
    badge: "bg-gray-100 text-gray-700 ring-gray-300",
    bar: "bg-gray-400",
    selectedRing: "has-[:checked]:ring-gray-500",
  },
  {
    icon: Zap,
    badge: "bg-blue-50 text-blue-700 ring-blue-300",
    bar: "bg-blue-500",
    selectedRing: "has-[:checked]:ring-blue-500",
  },
  {
    icon: Briefcase,
    badge: "bg-purple-50 text-purple-700 ring-purple-300",
    bar: "bg-purple-500",
    selectedRing: "has-[:checked]:ring-purple-500",
  },
  {
    icon: Crown,
    badge: "bg-yellow-50 text-yellow-800 ring-yellow-400",
    bar: "bg-yellow-400",
    selectedRing: "has-[:checked]:ring-yellow-500",
  },
  {
    icon: Heart,
    badge: "bg-pink-50 text-pink-700 ring-pink-300",
    bar: "bg-pink-500",
    selectedRing: "has-[:checked]:ring-pink-500",
  },
  {
    icon: Gem,
    badge: "bg-teal-50 text-teal-800 ring-teal-300",
    bar: "bg-teal-500",
    selectedRing: "has-[:checked]:ring-teal-500",
  },
  {
    icon: Rocket,
    badge: "bg-orange-50 text-orange-800 ring-orange-300",
    bar: "bg-orange-500",
    selectedRing: "has-[:checked]:ring-orange-500",
  },
  {
    icon: Star,
    badge: "bg-emerald-50 text-emerald-800 ring-emerald-300",
    bar: "bg-emerald-500",
    selectedRing: "has-[:checked]:ring-emerald-500",
  },
];

/** A tier the catalog no longer lists (retired, or not known to this page). */
const UNKNOWN: TierStyle = {
  icon: Tag,
  badge: "bg-slate-100 text-slate-700 ring-slate-300",
  bar: "bg-slate-400",
  selectedRing: "has-[:checked]:ring-slate-500",
};

export function tierStyle(level: number | null): TierStyle {
  if (level === null || !Number.isInteger(level) || level < 1) return UNKNOWN;
  return BY_LEVEL[(level - 1) % BY_LEVEL.length] ?? UNKNOWN;
}
