import { calculateJwkThumbprint } from "jose";
import { generateSigningJwk } from "../api/server/signing-keys.ts";

// `npm run keys:generate`: a new private P-256 JWK for JWT_SIGNING_KEYS (stdout), and its kid (stderr),
// so `npm run -s keys:generate > key.json` captures only the key.
const jwk = generateSigningJwk();
console.log(JSON.stringify(jwk));
console.error(`kid ${await calculateJwkThumbprint(jwk, "sha256")}`);
