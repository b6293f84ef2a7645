// The current auth session as React state, following sign-in, sign-out and refreshes.
import type { Session } from "@supabase/supabase-js";
import { useEffect, useState } from "react";
import { useBasekit } from "./provider.ts";

export interface SessionState {
  session: Session | null;
  /** True until the stored session has been read (avoid redirecting to sign-in before that). */
  loading: boolean;
}

export function useSession(): SessionState {
  const client = useBasekit();
  const [state, setState] = useState<SessionState>({ session: null, loading: true });
  useEffect(() => {
    let active = true;
    client.auth.getSession().then(({ data }) => active && setState({ session: data, loading: false }));
    const unsubscribe = client.auth.onAuthStateChange((_event, session) => active && setState({ session, loading: false }));
    return () => {
      active = false;
      unsubscribe();
    };
  }, [client]);
  return state;
}
