import { redirect } from "next/navigation";

// Everyone's home page is the dashboard (issue #6).
export default function Home() {
  redirect("/dashboard");
}
