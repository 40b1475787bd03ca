// The malformed bodies, fields and tokens of the bad-input corpus (bad-input-corpus.ts), by endpoint.

/** Bodies that are not a JSON object, sent to an endpoint that needs one. */
export const malformedBodies: [string, string][] = [
  ["an empty body", ""],
  ["whitespace", "   \n\t "],
  ["an unterminated object", '{"tier_slug": "pro"'],
  ["a bare opening brace", "{"],
  ["a trailing comma", '{"tier_slug": "pro", "billing_cycle": "monthly",}'],
  ["single quotes", "{'tier_slug': 'pro', 'billing_cycle': 'monthly'}"],
  ["unquoted keys", "{tier_slug: pro, billing_cycle: monthly}"],
  ["a comment", '{"tier_slug": "pro", /* x */ "billing_cycle": "monthly"}'],
  ["trailing garbage", '{"tier_slug": "pro", "billing_cycle": "monthly"} xyz'],
  ["two objects", '{"tier_slug": "pro"}{"billing_cycle": "monthly"}'],
  ["null", "null"],
  ["an array", '[{"tier_slug": "pro", "billing_cycle": "monthly"}]'],
  ["a string", '"pro"'],
  ["a number", "42"],
  ["true", "true"],
  ["NaN", '{"tier_slug": NaN}'],
  ["a byte-order mark and binary", "\ufeff\u0000\u0001\u0002"],
  ["a lone surrogate key", '{"\\ud800": 1}'],
  ["an array nested 20,000 deep", `${"[".repeat(20_000)}${"]".repeat(20_000)}`],
  ["an object nested 5,000 deep", `${'{"a":'.repeat(5000)}1${"}".repeat(5000)}`],
];

/** Well-formed JSON with the wrong fields, types, sizes or characters for POST /upgrade. */
export const badUpgrades: [string, unknown][] = [
  ["no fields", {}],
  ["no billing cycle", { tier_slug: "pro" }],
  ["no tier", { billing_cycle: "monthly" }],
  ["a numeric tier", { tier_slug: 2, billing_cycle: "monthly" }],
  ["a boolean tier", { tier_slug: true, billing_cycle: "monthly" }],
  ["a null tier", { tier_slug: null, billing_cycle: "monthly" }],
  ["an array tier", { tier_slug: ["pro"], billing_cycle: "monthly" }],
  ["an object tier", { tier_slug: { $ne: null }, billing_cycle: "monthly" }],
  ["an empty tier", { tier_slug: "", billing_cycle: "monthly" }],
  ["an upper-case tier", { tier_slug: "PRO", billing_cycle: "monthly" }],
  ["a tier with spaces", { tier_slug: " pro ", billing_cycle: "monthly" }],
  ["a 51-character tier", { tier_slug: "p".repeat(51), billing_cycle: "monthly" }],
  ["a 60 KB tier", { tier_slug: "p".repeat(60_000), billing_cycle: "monthly" }],
  ["an unknown tier", { tier_slug: "platinum", billing_cycle: "monthly" }],
  ["SQL in the tier", { tier_slug: "pro'; DROP TABLE users; --", billing_cycle: "monthly" }],
  ["a UNION in the tier", { tier_slug: "pro' UNION SELECT password_hash FROM users --", billing_cycle: "monthly" }],
  ["a tier with NUL", { tier_slug: "pro\u0000", billing_cycle: "monthly" }],
  ["a tier with a zero-width space", { tier_slug: "pro\u200b", billing_cycle: "monthly" }],
  ["a tier with a right-to-left override", { tier_slug: "\u202eorp", billing_cycle: "monthly" }],
  ["a full-width tier", { tier_slug: "ｐｒｏ", billing_cycle: "monthly" }],
  ["a Cyrillic look-alike tier", { tier_slug: "рrо", billing_cycle: "monthly" }],
  ["an emoji tier", { tier_slug: "🚀", billing_cycle: "monthly" }],
  ["a weekly cycle", { tier_slug: "pro", billing_cycle: "weekly" }],
  ["an upper-case cycle", { tier_slug: "pro", billing_cycle: "MONTHLY" }],
  ["a numeric cycle", { tier_slug: "pro", billing_cycle: 1 }],
  ["a null cycle", { tier_slug: "pro", billing_cycle: null }],
  ["an extra field", { tier_slug: "pro", billing_cycle: "monthly", price_cents: 0 }],
  [
    "a prototype-pollution key",
    JSON.parse('{"tier_slug": "pro", "billing_cycle": "monthly", "__proto__": {"is_admin": true}}'),
  ],
  [
    "a user id smuggled in",
    { tier_slug: "pro", billing_cycle: "monthly", user_id: "00000000-0000-0000-0000-000000000000" },
  ],
  ["a huge number as tier", { tier_slug: 1e308, billing_cycle: "monthly" }],
];

export const badDowngrades: [string, unknown][] = [
  ["no tier", { reason: "cheaper" }],
  ["a numeric reason", { tier_slug: "member", reason: 5 }],
  ["a 501-character reason", { tier_slug: "member", reason: "r".repeat(501) }],
  ["an array reason", { tier_slug: "member", reason: ["a", "b"] }],
  ["an extra field", { tier_slug: "member", effective: "now" }],
  ["SQL in the tier", { tier_slug: "member' OR '1'='1" }],
  ["a NUL in the reason", { tier_slug: "member", reason: "too\u0000expensive" }],
];

export const badCancels: [string, unknown][] = [
  ["a numeric reason", { reason: 12 }],
  ["an object reason", { reason: { text: "x" } }],
  ["a 10,000-character reason", { reason: "x".repeat(10_000) }],
  ["an extra field", { reason: "moving", refund: true }],
  ["a NUL in the reason", { reason: "\u0000" }],
  ["a lone surrogate in the reason", { reason: "bye \udc00" }],
];

export const badProfiles: [string, unknown][] = [
  ["no fields", {}],
  ["only unknown fields", { nickname: "x" }],
  ["a known field beside an unknown one", { display_name: "Ok", is_admin: true }],
  ["an empty display name", { display_name: "" }],
  ["a blank display name", { display_name: "   " }],
  ["a null display name", { display_name: null }],
  ["a numeric display name", { display_name: 12345 }],
  ["a 101-character display name", { display_name: "d".repeat(101) }],
  ["a 501-character bio", { bio: "b".repeat(501) }],
  ["a 101-character location", { location: "l".repeat(101) }],
  ["a 101-character job title", { job_title: "j".repeat(101) }],
  ["a bio with a NUL byte", { bio: "before\u0000after" }],
  ["a display name that is only a NUL", { display_name: "\u0000" }],
  ["a lone surrogate in the bio", { bio: "\ud800" }],
  ["an email change", { email: "someone-else@example.com" }],
  ["an attempt to become admin", { is_admin: true }],
  ["an attempt to set the tier", { current_tier_slug: "family" }],
];

export const badAssigns: [string, unknown][] = [
  ["no reason", { tier_slug: "pro", billing_cycle: "monthly" }],
  ["an empty reason", { tier_slug: "pro", billing_cycle: "monthly", reason: "" }],
  ["a blank reason", { tier_slug: "pro", billing_cycle: "monthly", reason: "  " }],
  ["a paid tier without a cycle", { tier_slug: "pro", reason: "promo" }],
  ["an unknown tier", { tier_slug: "gold", billing_cycle: "monthly", reason: "promo" }],
  ["SQL in the tier", { tier_slug: "pro;--", billing_cycle: "monthly", reason: "promo" }],
  ["an extra field", { tier_slug: "pro", billing_cycle: "monthly", reason: "promo", status: "active" }],
  ["a NUL in the reason", { tier_slug: "pro", billing_cycle: "monthly", reason: "promo\u0000" }],
];

export const badTokens: [string, string][] = [
  ["an empty Authorization header", ""],
  ["Bearer without a token", "Bearer"],
  ["Bearer and a space", "Bearer "],
  ["Basic credentials", `Basic ${Buffer.from("admin:admin").toString("base64")}`],
  ["a token without a scheme", "eyJhbGciOiJIUzI1NiJ9.e30.x"],
  ["three dots", "Bearer ..."],
  ["a garbage token", "Bearer not-a-token"],
  ["a JWT of nulls", "Bearer null.null.null"],
  ["a token with spaces inside", "Bearer abc def.ghi"],
  ["an 8 KB token", `Bearer ${"a".repeat(8000)}.${"b".repeat(100)}.c`],
  ["SQL as a token", "Bearer ' OR 1=1 --"],
  ["two tokens", "Bearer a.b.c, Bearer d.e.f"],
];
