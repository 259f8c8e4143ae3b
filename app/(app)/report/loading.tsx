import { ProgressSkeleton } from "@/components/dashboard/skeleton";

export default function Loading() {
  return <ProgressSkeleton label="Loading the report" wide={false} />;
}
