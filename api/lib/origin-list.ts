/** CORS_ORIGINS as operators write it: comma-separated, spaces allowed, empty means none. */
export function parseOriginList(value: string | undefined): string[] | undefined {
  const origins = value?.split(",").map((origin) => origin.trim()).filter(Boolean);
  return origins?.length ? origins : undefined;
}
