/**
 * What a plugin hands back is checked before Databus stores it: the right class, an external_id,
 * named attachments, a payload JSON can hold, and a size under the per-passenger limit. Pure.
 */
import { reasonOf } from "../core/errors";
import { attachmentNameProblem, type Attachment } from "../core/passenger";
import { Passenger } from "../sdk/passenger";

/** Payload (as JSON) and attachments of one passenger together may not pass this. */
export const PASSENGER_LIMIT_BYTES = 64 * 1024 * 1024;

/** How deep a payload may nest; deeper is almost always a mistake and would exhaust the stack. */
const MAX_DEPTH = 1000;

/** Why a value cannot be seated, in words for the plugin author; null when it can. */
export function passengerProblem(item: unknown, expected: typeof Passenger): string | null {
  if (!(item instanceof Passenger)) return `it is ${describe(item)}, not a Passenger (create it with new YourPassengerType({...}))`;
  if (!(item instanceof expected))
    return `it is a ${(item as object).constructor.name}, but this definition carries ${expected.name} passengers`;
  const ext = item.external_id as unknown;
  if ((typeof ext !== "string" || ext.length === 0) && typeof ext !== "number") return "it has no external_id";
  if (typeof item.source_system !== "string") return "its source_system is not a text";
  return contentProblem(item);
}

/** Attachments and payload: what a processor may change, so checked again after each processor. */
export function contentProblem(p: { payload?: unknown; attachments: unknown }): string | null {
  if (!Array.isArray(p.attachments)) return "its attachments are not a list";
  for (const a of p.attachments as unknown[]) {
    const att = a as Partial<Attachment> | null;
    const nameProblem = attachmentNameProblem(att?.name);
    if (nameProblem) return `an attachment ${nameProblem}`;
    if (typeof att!.content !== "string" && !(att!.content instanceof Uint8Array))
      return `the attachment ${att!.name} has content that is neither text nor bytes`;
  }
  return null;
}

export type SizeCheck = { ok: true; bytes: number } | { ok: false; tooLarge: true } | { ok: false; tooLarge: false; problem: string };

/**
 * Whether the passenger fits under `limit` bytes, without serialising it: a walk that counts the
 * JSON text the payload would become (strings by length, which never overstates UTF-8) plus the
 * attachment sizes, and stops as soon as the count passes the limit. A 2 GB payload made of one
 * string repeated costs as many steps as it takes to pass the limit, and no copy of it.
 */
export function checkSize(p: { payload?: unknown; attachments: Attachment[] }, limit: number): SizeCheck {
  let total = 0;
  for (const a of p.attachments) total += typeof a.content === "string" ? a.content.length : a.content.byteLength;
  if (total > limit) return { ok: false, tooLarge: true };
  const walker = new SizeWalker(limit - total);
  try {
    walker.visit(p.payload ?? null, 0);
  } catch (e) {
    if (e === TOO_LARGE) return { ok: false, tooLarge: true };
    return { ok: false, tooLarge: false, problem: `its payload cannot be stored as JSON (${reasonOf(e)})` };
  }
  return { ok: true, bytes: total + walker.bytes };
}

const TOO_LARGE = Symbol("too large");

class SizeWalker {
  bytes = 0;
  private ancestors = new Set<object>();

  constructor(private budget: number) {}

  private add(n: number): void {
    this.bytes += n;
    if (this.bytes > this.budget) throw TOO_LARGE;
  }

  visit(v: unknown, depth: number): void {
    switch (typeof v) {
      case "string":
        return this.add(v.length + 2);
      case "number":
      case "boolean":
        return this.add(String(v).length);
      case "bigint":
        throw new Error("it holds a BigInt, which JSON cannot represent");
      case "undefined":
      case "function":
      case "symbol":
        return this.add(4); // dropped, or null inside a list
    }
    if (v === null) return this.add(4);
    if (depth > MAX_DEPTH) throw new Error(`it nests deeper than ${MAX_DEPTH} levels`);
    const obj = v as object;
    if (ArrayBuffer.isView(obj)) return this.add(obj.byteLength * 4); // JSON writes bytes as {"0":n,…}
    if (this.ancestors.has(obj)) throw new Error("it refers to itself");
    if (typeof (obj as { toJSON?: unknown }).toJSON === "function") return this.add(32); // dates and the like
    this.ancestors.add(obj);
    if (Array.isArray(obj)) {
      this.add(2);
      for (const item of obj) this.add(1), this.visit(item, depth + 1);
    } else {
      this.add(2);
      for (const key of Object.keys(obj)) {
        this.add(key.length + 4);
        this.visit((obj as Record<string, unknown>)[key], depth + 1);
      }
    }
    this.ancestors.delete(obj);
  }
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return `an object (${(v as object).constructor?.name ?? "no class"})`;
  return `a ${typeof v}`;
}
