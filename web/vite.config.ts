// The web app's build: React, with the SDK compiled from source (no separate build step).
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const sdkSource = (file: string) => fileURLToPath(new URL(`../packages/client-sdk/src/${file}`, import.meta.url));

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@basekit\/client-sdk\/react$/, replacement: sdkSource("react/index.ts") },
      { find: /^@basekit\/client-sdk$/, replacement: sdkSource("index.ts") },
    ],
  },
  build: {
    rollupOptions: {
      // The push service worker must sit at a fixed URL at the site's root.
      input: {
        main: fileURLToPath(new URL("index.html", import.meta.url)),
        "push-sw": fileURLToPath(new URL("src/push-sw.ts", import.meta.url)),
      },
      output: { entryFileNames: (chunk) => (chunk.name === "push-sw" ? "push-sw.js" : "assets/[name]-[hash].js") },
    },
  },
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1" },
});
