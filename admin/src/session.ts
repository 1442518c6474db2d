import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Staff } from "./types.js";

export type StaffSession = { staff: Staff; signedOut: () => void };
export const StaffContext = createContext<StaffSession | null>(null);

/** The signed-in staff member; every screen is inside the provider. */
export function useStaff(): StaffSession {
  const session = useContext(StaffContext);
  if (!session) throw new Error("useStaff outside the signed-in shell");
  return session;
}
