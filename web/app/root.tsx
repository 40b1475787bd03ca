import { json, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { AppHeader } from "./components/AppHeader.tsx";
import { ErrorPage } from "./components/ErrorPage.tsx";
import { Toaster } from "./components/Toaster.tsx";
import { useNonce } from "./lib/nonce.ts";
import { getAuth, takeToast } from "./lib/session.server.ts";
import stylesheet from "./tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "tierkit" },
  { name: "description", content: "Plans and subscriptions for tierkit members." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const auth = await getAuth(request);
  const { toast, headers } = await takeToast(request);
  return json({ user: auth?.user ?? null, toast }, { headers });
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        <AppHeader user={data?.user ?? null} />
        <Toaster toast={data?.toast ?? null} />
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
