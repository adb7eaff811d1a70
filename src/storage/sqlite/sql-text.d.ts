// Migration files imported `with { type: "text" }` are strings (embedded into the compiled binary).
declare module "*/migration.sql" {
  const text: string;
  export default text;
}
