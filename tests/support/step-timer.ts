/**
 * A stand-in for performance.now that moves `stepMs` on every read. The drain reads its timer once
 * before the first batch and once after each, so under this timer every batch takes `stepMs`.
 */
export function steppingTimer(stepMs: number): () => number {
  let reads = 0;
  return () => {
    reads += 1;
    return reads * stepMs;
  };
}
