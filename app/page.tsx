import { redirect } from "next/navigation";

// Everyone's home page is the dashboard.
export default function Home() {
  redirect("/dashboard");
}
