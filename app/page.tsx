import { redirect } from "next/navigation";

// The dashboard will be the home page; until it exists, the systems registry is.
export default function Home() {
  redirect("/systems");
}
