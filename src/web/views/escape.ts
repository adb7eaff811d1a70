/**
 * Kita escapes only `"` in attribute values; stored or user data placed in an attribute goes through
 * `attr` too, so `<`, `>` and `&` arrive as entities (and `&amp;` typed by a user survives the round trip).
 */
import { escapeHtml } from "@kitajs/html";

export const attr = (value: string): string => escapeHtml(value);
