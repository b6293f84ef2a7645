// Entry point: the query cache, the SDK client and the router.
import { BasekitProvider } from "@basekit/client-sdk/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { basekit } from "./basekit.ts";
import { router } from "./router.tsx";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: { staleTime: 30_000, retry: (count, error) => count < 2 && (error as { code?: string }).code === "network_error" },
  },
});

// Signing out (here or in another tab) must not leave the previous user's data in the cache.
basekit.auth.onAuthStateChange((event) => {
  if (event === "SIGNED_OUT") queryClient.clear();
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BasekitProvider client={basekit}>
        <RouterProvider router={router} />
      </BasekitProvider>
    </QueryClientProvider>
  </StrictMode>,
);
