// Verifies a minisign signature the way an Electron updater can, with nothing but Node's crypto:
// Ed25519 over the file's BLAKE2b-512 ("ED"), then the global signature over the signature and
// the trusted comment. Usage: node verify-minisig.cjs FILE FILE.minisig PUBLIC_KEY_BASE64
// Prints the trusted comment and exits 0, or prints why and exits 1.
const { createHash, createPublicKey, verify } = require("node:crypto");
const { readFileSync } = require("node:fs");

const [file, signatureFile, publicKeyText] = process.argv.slice(2);
const fail = (why) => { console.error(why); process.exit(1); };

const publicKey = Buffer.from(publicKeyText, "base64");
if (publicKey.length !== 42 || publicKey.subarray(0, 2).toString() !== "Ed") fail("not a minisign public key");
// An Ed25519 SubjectPublicKeyInfo is a fixed 12-byte prefix and the 32-byte key.
const key = createPublicKey({ key: Buffer.concat([Buffer.from("302a300506032b6570032100", "hex"), publicKey.subarray(10)]), format: "der", type: "spki" });

const lines = readFileSync(signatureFile, "utf8").split("\n");
const signature = Buffer.from(lines[1], "base64");
if (signature.subarray(0, 2).toString() !== "ED") fail("not a prehashed (ED) minisign signature");
if (!signature.subarray(2, 10).equals(publicKey.subarray(2, 10))) fail("signed with another key");
const hash = createHash("blake2b512").update(readFileSync(file)).digest();
if (!verify(null, hash, key, signature.subarray(10))) fail("the file's signature does not verify");

if (!lines[2].startsWith("trusted comment: ")) fail("no trusted comment");
const trusted = lines[2].slice("trusted comment: ".length);
if (!verify(null, Buffer.concat([signature.subarray(10), Buffer.from(trusted)]), key, Buffer.from(lines[3], "base64"))) fail("the trusted comment's signature does not verify");
console.log(trusted);
