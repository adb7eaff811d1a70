// drizzle-kit migrations are imported `with { type: "text" }` (embedded into the compiled binary).
declare module "*/migration.sql" {
  const text: string;
  export default text;
}
