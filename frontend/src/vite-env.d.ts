/// <reference types="vite/client" />
declare module "asl-schema" {
  const schema: Record<string, unknown>;
  export default schema;
}
