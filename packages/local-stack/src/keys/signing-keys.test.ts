import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { decodeProtectedHeader, importJWK, jwtVerify } from "jose";
import { genSigningKey } from "../cli/commands/gen.ts";
import { ConfigError, loadConfig } from "../config/load-config.ts";
import { generateSigningJwk, loadSigningKeys, parseSigningKeys, publicJwk, signAsymmetric } from "./signing-keys.ts";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi"];
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function project(configToml: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "basekit-signing-keys-"));
  dirs.push(dir);
  mkdirSync(join(dir, "supabase"));
  writeFileSync(join(dir, "supabase", "config.toml"), configToml);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, "supabase", name), text);
  chmodSync(dir, 0o755);
  return dir;
}

test("generated keys look like the Supabase CLI's: uuid kid, sig use, sign+verify, ext", () => {
  for (const alg of ["ES256", "RS256"] as const) {
    const jwk = generateSigningJwk(alg);
    assert.match(jwk.kid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(jwk.alg, alg);
    assert.equal(jwk.kty, alg === "ES256" ? "EC" : "RSA");
    assert.equal(jwk.use, "sig");
    assert.deepEqual(jwk.key_ops, ["sign", "verify"]);
    assert.equal(jwk.ext, true);
    assert.equal(typeof jwk.d, "string");
    assert.equal(Object.keys(jwk)[0], "kty");
  }
});

test("public halves carry no private member and only the verify operation", () => {
  for (const alg of ["ES256", "RS256"] as const) {
    const pub = publicJwk(generateSigningJwk(alg));
    for (const member of PRIVATE_MEMBERS) assert.equal(member in pub, false, `${alg} public key has ${member}`);
    assert.deepEqual(pub.key_ops, ["verify"]);
  }
});

test("the first key allowed to sign signs; every key is published; tokens verify with jose", async () => {
  const verifyOnly = { ...generateSigningJwk("RS256"), key_ops: ["verify"] };
  const first = generateSigningJwk("ES256");
  const second = generateSigningJwk("RS256");
  const keys = parseSigningKeys(JSON.stringify([verifyOnly, first, second]), "keys.json");
  assert.equal(keys.signer.kid, first.kid);
  assert.deepEqual(
    keys.publicJwks.map((k) => k.kid),
    [verifyOnly.kid, first.kid, second.kid],
  );
  const token = signAsymmetric({ sub: "u", b: 1, a: 2 }, keys.signer);
  assert.deepEqual(decodeProtectedHeader(token), { alg: "ES256", kid: first.kid, typ: "JWT" });
  const { payload } = await jwtVerify(token, await importJWK(keys.publicJwks[1], "ES256"));
  assert.deepEqual(Object.keys(payload), ["sub", "b", "a"]);
});

test("bad key files fail with a clear configuration error", () => {
  const { kid: _kid, ...noKid } = generateSigningJwk("ES256");
  assert.throws(() => parseSigningKeys("not json", "k.json"), ConfigError);
  assert.throws(() => parseSigningKeys("[]", "k.json"), /no signing keys/);
  assert.throws(() => parseSigningKeys(JSON.stringify([noKid]), "k.json"), /has no "kid"/);
  assert.throws(() => parseSigningKeys(JSON.stringify([{ kty: "oct", kid: "h", k: "c2VjcmV0", alg: "HS256" }]), "k.json"), /ES256/);
  assert.throws(() => parseSigningKeys(JSON.stringify([publicJwk(generateSigningJwk("ES256"))]), "k.json"), /no private key/);
});

test("signing_keys_path is read relative to supabase/; unset means no keys; a missing file is an error", () => {
  const jwk = generateSigningJwk("ES256");
  const withKeys = project('[auth]\nsigning_keys_path = "./signing_keys.json"\n', { "signing_keys.json": JSON.stringify([jwk]) });
  assert.equal(loadSigningKeys(loadConfig(withKeys, {}, {}))?.signer.kid, jwk.kid);
  assert.equal(loadSigningKeys(loadConfig(project('project_id = "x"\n'), {}, {})), undefined);
  const missing = project('[auth]\nsigning_keys_path = "./nowhere.json"\n');
  assert.throws(() => loadSigningKeys(loadConfig(missing, {}, {})), /not found/);
});

/** Runs `basekit gen signing-key` with stdout and stderr captured. */
async function genCaptured(argv: string[]): Promise<{ code: number; stdout: string }> {
  const write = process.stdout.write.bind(process.stdout);
  const error = console.error;
  let stdout = "";
  process.stdout.write = ((chunk: string) => {
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  console.error = () => {};
  try {
    return { code: await genSigningKey(argv), stdout };
  } finally {
    process.stdout.write = write;
    console.error = error;
  }
}

test("gen signing-key prints one private JWK when no signing_keys_path is set", async () => {
  const { code, stdout } = await genCaptured(["--workdir", project('project_id = "x"\n'), "--algorithm", "RS256"]);
  assert.equal(code, 0);
  const jwk = JSON.parse(stdout);
  assert.equal(jwk.alg, "RS256");
  assert.equal(typeof jwk.d, "string");
});

test("gen signing-key writes the configured file, replaces it, and --append adds to it", async () => {
  const dir = project('[auth]\nsigning_keys_path = "./keys/signing_keys.json"\n');
  const file = join(dir, "supabase", "keys", "signing_keys.json");
  const read = () => JSON.parse(readFileSync(file, "utf8")) as { kid: string; alg: string }[];
  assert.equal((await genCaptured(["--workdir", dir])).code, 0);
  const [first] = read();
  assert.equal(first.alg, "ES256");
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal((await genCaptured(["--workdir", dir, "--append", "--algorithm", "RS256"])).code, 0);
  assert.deepEqual(
    read().map((k) => [k.kid, k.alg]),
    [
      [first.kid, "ES256"],
      [read()[1].kid, "RS256"],
    ],
  );
  // Without --append (and no terminal to ask), the file is replaced by one new key.
  assert.equal((await genCaptured(["--workdir", dir])).code, 0);
  assert.equal(read().length, 1);
  assert.notEqual(read()[0].kid, first.kid);
  await assert.rejects(genSigningKey(["--workdir", dir, "--algorithm", "HS256"]), /ES256, RS256/);
});
