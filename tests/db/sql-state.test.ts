import { describe, expect, it } from "vitest";
import { retryOnSerializationFailure, SERIALIZATION_FAILURE } from "../../db/client/sql-state.ts";

const conflict = () => Object.assign(new Error("wrapped"), { cause: { code: SERIALIZATION_FAILURE } });

describe("retryOnSerializationFailure", () => {
  it("runs again after a serialization failure (found on the cause chain) and answers the first success", async () => {
    let runs = 0;
    const answer = await retryOnSerializationFailure(3, async () => {
      runs += 1;
      if (runs < 3) throw conflict();
      return "done";
    });
    expect([answer, runs]).toEqual(["done", 3]);
  });

  it("rethrows the last conflict after maxAttempts runs, and any other error at once", async () => {
    let runs = 0;
    const failing = retryOnSerializationFailure(2, async () => {
      runs += 1;
      throw conflict();
    });
    await expect(failing).rejects.toThrow("wrapped");
    expect(runs).toBe(2);

    runs = 0;
    const refused = retryOnSerializationFailure(5, async () => {
      runs += 1;
      throw Object.assign(new Error("unique"), { code: "23505" });
    });
    await expect(refused).rejects.toThrow("unique");
    expect(runs).toBe(1);
  });
});
