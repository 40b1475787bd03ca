import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";

// SCRAM-SHA-256 (RFC 5802, RFC 7677), the password exchange PostgreSQL asks for by default since 14
// (and the official Docker image's pg_hba): the password itself never crosses the wire.

export interface ScramSession {
  /** The message sent with SASLInitialResponse. */
  clientFirst: string;
  clientFirstBare: string;
  clientNonce: string;
}

const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();

/** PostgreSQL ignores the SCRAM user name (the startup message names the user), but it must be well-formed. */
const saslName = (user: string) => user.replaceAll("=", "=3D").replaceAll(",", "=2C");

export function startScram(user: string, clientNonce = randomBytes(18).toString("base64")): ScramSession {
  const clientFirstBare = `n=${saslName(user)},r=${clientNonce}`;
  return { clientFirst: `n,,${clientFirstBare}`, clientFirstBare, clientNonce };
}

function attributes(message: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of message.split(",")) {
    const separator = part.indexOf("=");
    if (separator > 0) map.set(part.slice(0, separator), part.slice(separator + 1));
  }
  return map;
}

/** Answers the server-first message: the client-final message, and the signature the server must prove. */
export function continueScram(
  session: ScramSession,
  password: string,
  serverFirst: string,
): { clientFinal: string; serverSignature: string } {
  const server = attributes(serverFirst);
  const nonce = server.get("r");
  const salt = server.get("s");
  const iterations = Number(server.get("i"));
  if (!nonce?.startsWith(session.clientNonce) || nonce === session.clientNonce || !salt || !(iterations > 0)) {
    throw new Error("SCRAM: the server's first message is malformed");
  }
  const saltedPassword = pbkdf2Sync(password, Buffer.from(salt, "base64"), iterations, 32, "sha256");
  const clientKey = hmac(saltedPassword, "Client Key");
  const storedKey = createHash("sha256").update(clientKey).digest();
  const withoutProof = `c=biws,r=${nonce}`;
  const authMessage = `${session.clientFirstBare},${serverFirst},${withoutProof}`;
  const clientSignature = hmac(storedKey, authMessage);
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ (clientSignature[i] as number)));
  const serverSignature = hmac(hmac(saltedPassword, "Server Key"), authMessage).toString("base64");
  return { clientFinal: `${withoutProof},p=${proof.toString("base64")}`, serverSignature };
}

/** The server proves it knew the password too; anything else is a server we must not talk to. */
export function verifyScramServer(serverFinal: string, expectedSignature: string): void {
  const signature = Buffer.from(attributes(serverFinal).get("v") ?? "", "base64");
  const expected = Buffer.from(expectedSignature, "base64");
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw new Error("SCRAM: the server's signature does not match");
  }
}
