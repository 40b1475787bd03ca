import { json } from "@remix-run/node";
import { ErrorPage } from "../components/ErrorPage.tsx";

// Every address no other route claims: a 404 thrown from a loader, so the root loader still runs
// (the header knows who is signed in) and nothing is logged as a server error.
export async function loader() {
  throw json(
    { message: "There is nothing at this address. It may have moved, or the link is mistyped." },
    { status: 404 },
  );
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
