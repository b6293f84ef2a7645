// The app's one BasekitClient, pointed at the project from VITE_SUPABASE_URL / VITE_SUPABASE_ANON_KEY
// (defaults: the local stack started by `basekit start`).
import { createBasekitClient } from "@basekit/client-sdk";

const LOCAL_URL = "http://127.0.0.1:54321";
// The demo anon key every local Supabase stack uses; safe to publish.
const LOCAL_ANON_KEY =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0";

export const supabaseUrl: string = import.meta.env.VITE_SUPABASE_URL || LOCAL_URL;
export const basekit = createBasekitClient(supabaseUrl, import.meta.env.VITE_SUPABASE_ANON_KEY || LOCAL_ANON_KEY);
