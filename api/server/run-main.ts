/**
 * Runs a command-line entry: a failure prints its message (and causes) instead of a stack trace,
 * and exits non-zero so scripts and schedulers see it.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const messages: string[] = [];
    for (let e: unknown = error; e !== undefined; e = e instanceof Error ? e.cause : undefined) {
      messages.push(e instanceof Error ? e.message : String(e));
    }
    console.error(`error: ${messages.join("\n  caused by: ")}`);
    process.exit(1);
  });
}
