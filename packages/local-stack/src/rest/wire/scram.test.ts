import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startScram } from "./scram.ts";

describe("SCRAM-SHA-256 client", () => {
  // RFC 7677 section 3.
  const serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";

  it("produces the RFC 7677 client proof and accepts the RFC server signature", () => {
    const exchange = startScram("pencil", "rOprNGfwEbeRWgbNEkqO", "user");
    assert.equal(exchange.first, "n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
    assert.equal(
      exchange.final(serverFirst),
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
    );
    exchange.verify("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  });

  it("rejects a server that does not know the password", () => {
    const exchange = startScram("pencil", "rOprNGfwEbeRWgbNEkqO", "user");
    exchange.final(serverFirst);
    assert.throws(() => exchange.verify("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="), /signature does not match/);
    assert.throws(() => exchange.verify("e=invalid-proof"), /refused/);
  });

  it("rejects a server nonce that does not extend the client's", () => {
    const exchange = startScram("pencil", "abc", "user");
    assert.throws(() => exchange.final(serverFirst), /malformed/);
  });
});
