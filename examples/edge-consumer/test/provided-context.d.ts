// What global-setup.ts (Node) hands to the tests (workerd) through vitest's provide/inject.
declare module "vitest" {
  interface ProvidedContext {
    tierkitUrl: string;
    serviceKey: string;
    tokens: { member: string; pro: string; otherKey: string; expired: string; removedKey: string };
  }
}

export {};
