import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of this response (entry.server.tsx). Browsers hide nonces from
 * scripts, so in the browser it is empty, which is also what the DOM shows after hydration.
 */
export const NonceContext = createContext("");

export const useNonce = () => useContext(NonceContext);
