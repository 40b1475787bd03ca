/**
 * Which proxy in front of us may say who the visitor is (TRUST_PROXY). Forwarding headers are
 * written by whoever sends the request, so they count only when the hop that sent them is trusted.
 */
export type TrustProxy = { kind: "none" } | { kind: "cloudflare" } | { kind: "addresses"; addresses: string[] };

export interface AddressSources {
  /** The peer of the TCP connection; absent on Workers and for in-process requests. */
  socketAddress?: string;
  header(name: string): string | undefined;
}

/** `::ffff:203.0.113.9` (an IPv4 peer on a dual-stack socket) and `203.0.113.9` are one client. */
export function normalizeAddress(address: string): string {
  const trimmed = address.trim().toLowerCase();
  return trimmed.startsWith("::ffff:") && trimmed.includes(".") ? trimmed.slice(7) : trimmed;
}

/**
 * The visitor's address under `trust`: Cloudflare's CF-Connecting-IP; or, from a listed proxy, the
 * nearest X-Forwarded-For entry that is not itself a listed proxy; otherwise the socket's peer.
 */
export function resolveClientAddress(trust: TrustProxy, sources: AddressSources): string | undefined {
  const socket = sources.socketAddress ? normalizeAddress(sources.socketAddress) : undefined;
  if (trust.kind === "cloudflare") {
    const cloudflare = sources.header("cf-connecting-ip")?.trim();
    return cloudflare ? normalizeAddress(cloudflare) : socket;
  }
  if (trust.kind === "addresses" && socket && trust.addresses.includes(socket)) {
    const hops = (sources.header("x-forwarded-for") ?? "").split(",").map(normalizeAddress).filter(Boolean);
    // Walk back from our side: each listed proxy vouches for the hop before it, nobody for the rest.
    for (let i = hops.length - 1; i >= 0; i -= 1) {
      const hop = hops[i] as string;
      if (!trust.addresses.includes(hop)) return hop;
    }
    return hops[0] ?? socket;
  }
  return socket;
}
