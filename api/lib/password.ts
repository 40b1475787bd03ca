// PBKDF2-SHA256 through WebCrypto so the same code runs in Node 20 and Workers. Workers refuse more
// than 100,000 iterations; the count is stored in each hash so it can be raised later.
const ALGORITHM = "pbkdf2_sha256";
export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

function fromBase64(text: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as Uint8Array<ArrayBuffer>, iterations },
    key,
    HASH_BITS,
  );
  return new Uint8Array(bits);
}

/** Compares every byte whatever the first difference, so timing says nothing about the hash. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return `${ALGORITHM}$${PBKDF2_ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** False for a wrong password and for a stored value that is not one of our hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, iterationText, saltText, hashText, ...rest] = stored.split("$");
  const iterations = Number(iterationText);
  if (algorithm !== ALGORITHM || rest.length || !Number.isInteger(iterations) || iterations < 1) return false;
  const salt = fromBase64(saltText ?? "");
  const expected = fromBase64(hashText ?? "");
  if (!salt || !expected) return false;
  return constantTimeEqual(await derive(password, salt, iterations), expected);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same PBKDF2 time as a real check, for sign-ins with an unknown email, so response time
 * does not reveal which emails have accounts. Made lazily: Workers allow no crypto at module load.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword("not-a-real-password");
  await verifyPassword(password, await dummyHash);
}
