// Files imported `with { type: "text" }` (embedded into the compiled binary) are strings.
declare module "htmx.org/dist/htmx.min.js" {
  const text: string;
  export default text;
}
declare module "*/public/style.css" {
  const text: string;
  export default text;
}
declare module "*/public/favicon.svg" {
  const text: string;
  export default text;
}
