/// <reference types="vitest/config" />
import { fileURLToPath, URL } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The bundle is served by `cairn server` at its root (and under --static-prefix), so asset URLs
// are relative ("./assets/...") and routing lives in the URL hash.
export default defineConfig({
  base: "./",
  plugins: [react()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: {
    outDir: "../src/cairn/server/ui_dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    // `npm run dev` against a local `cairn server` on port 5000.
    proxy: { "/ajax-api": "http://127.0.0.1:5000", "/get-artifact": "http://127.0.0.1:5000" },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    css: false,
  },
});
