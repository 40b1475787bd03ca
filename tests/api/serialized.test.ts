import { describe, expect, it } from "vitest";
import { Serialized } from "../../api/http/presenters/serialized.ts";

// The catalog's serialized tiers are spliced into bodies: each body must be what JSON.stringify of
// the whole value would have sent.
describe("Serialized", () => {
  const tier = { slug: "pro", name: 'Pro "2"', features: { seats: 1, api: null, nested: [1, "ü"] } };

  it("splices serialized members and arrays into the text JSON.stringify gives the whole value", () => {
    const one = Serialized.of(tier);
    const value = {
      success: true,
      note: 'quotes " and \\ and \n',
      tiers: [tier, tier],
      first: tier,
      none: [] as (typeof tier)[],
      provider: null,
    };
    const text = Serialized.object<typeof value>({
      success: true,
      note: value.note,
      tiers: Serialized.array([one, one]),
      first: one,
      none: Serialized.array<typeof tier>([]),
      provider: null,
    }).text;
    expect(text).toBe(JSON.stringify(value));
    expect(JSON.parse(text)).toEqual(value);
  });

  it("leaves out undefined members, as JSON.stringify does", () => {
    const text = Serialized.object<{ a: number; b?: string }>({ a: 1, b: undefined }).text;
    expect(text).toBe('{"a":1}');
  });
});
