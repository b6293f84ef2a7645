// React context carrying the BasekitClient, so hooks find it without prop drilling.
import { createContext, createElement, type ReactNode, useContext } from "react";
import type { BasekitClient } from "../client.ts";

const BasekitContext = createContext<BasekitClient | null>(null);

export function BasekitProvider({ client, children }: { client: BasekitClient; children?: ReactNode }) {
  return createElement(BasekitContext.Provider, { value: client }, children);
}

/** The client given to the nearest BasekitProvider. */
export function useBasekit(): BasekitClient {
  const client = useContext(BasekitContext);
  if (!client) throw new Error("useBasekit() needs a <BasekitProvider client={...}> above it");
  return client;
}
