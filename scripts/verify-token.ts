import { createRemoteJWKSet, jwtVerify } from "jose";

// What any service can do with a tierkit access token, given nothing but the JWKS URL: verify it
// with plain jose (no tierkit code, no secret) and read its claims.
//   npx tsx scripts/verify-token.ts http://127.0.0.1:8787/.well-known/jwks.json <token>
const [jwksUrl, token] = process.argv.slice(2);
if (!jwksUrl || !token) {
  console.error("usage: tsx scripts/verify-token.ts <jwks-url> <access-token>");
  process.exit(2);
}

try {
  const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(jwksUrl)), {
    issuer: "tierkit",
    audience: "tierkit-api",
    algorithms: ["ES256"],
  });
  console.log(JSON.stringify({ header: protectedHeader, claims: payload }, null, 2));
} catch (error) {
  console.error(`not valid: ${(error as Error).message}`);
  process.exit(1);
}
