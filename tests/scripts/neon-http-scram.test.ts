import { describe, expect, it } from "vitest";
import { continueScram, startScram, verifyScramServer } from "../../scripts/neon-http/scram.ts";

// The SCRAM-SHA-256 exchange of RFC 7677 §3, byte for byte: the local PostgreSQL trusts its
// clients, so this is what proves the endpoint can log in where a password is required.
const CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
const SERVER_FIRST = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

describe("SCRAM-SHA-256 for the SQL-over-HTTP endpoint", () => {
  it("computes the RFC 7677 example's client proof and server signature", () => {
    const session = startScram("user", CLIENT_NONCE);
    expect(session.clientFirst).toBe("n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
    const answer = continueScram(session, "pencil", SERVER_FIRST);
    expect(answer.clientFinal).toBe(
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
    );
    expect(() =>
      verifyScramServer("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", answer.serverSignature),
    ).not.toThrow();
  });

  it("refuses a server that does not know the password, or does not extend the client's nonce", () => {
    const session = startScram("user", CLIENT_NONCE);
    const answer = continueScram(session, "pencil", SERVER_FIRST);
    expect(() => verifyScramServer("v=AAAAbBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", answer.serverSignature)).toThrow(
      "signature does not match",
    );
    expect(() => continueScram(session, "pencil", "r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")).toThrow(
      "malformed",
    );
  });

  it("escapes the SASL name", () => {
    expect(startScram("a=b,c", "n").clientFirst).toBe("n,,n=a=3Db=2Cc,r=n");
  });
});
