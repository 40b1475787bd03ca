/**
 * The web app's public origin: APP_ORIGIN when the server sits behind a proxy that changes scheme
 * or host, otherwise the origin the request arrived at.
 */
export function appOrigin(request: Request): string {
  return process.env.APP_ORIGIN || new URL(request.url).origin;
}
