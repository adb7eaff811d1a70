// htmx 4 inherits attributes only when asked (`hx-target:inherited`); Kita's htmx types predate that.
/// <reference types="@kitajs/html/htmx.d.ts" />
declare namespace JSX {
  interface HtmlTag {
    "hx-target:inherited"?: string;
    "hx-swap:inherited"?: string;
    "hx-push-url:inherited"?: string;
    "hx-select:inherited"?: string;
    "hx-headers:inherited"?: string;
  }
}
