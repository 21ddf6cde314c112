import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The project's ASL JSON Schema (asl/schema/asl.schema.json) is bundled at build
// time when it exists; otherwise a small stand-in keeps the build working.
const repoSchema = fileURLToPath(new URL("../asl/schema/asl.schema.json", import.meta.url));
const fallbackSchema = fileURLToPath(new URL("./src/asl/fallback.schema.json", import.meta.url));
const aslSchema = existsSync(repoSchema) ? repoSchema : fallbackSchema;

export default defineConfig({
  base: "/static/",
  plugins: [react()],
  resolve: {
    alias: { "asl-schema": aslSchema },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
  server: {
    port: 5173,
    proxy: { "/api": "http://127.0.0.1:8001", "/admin": "http://127.0.0.1:8001" },
  },
});
