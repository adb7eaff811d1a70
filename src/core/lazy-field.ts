/**
 * A field computed when first read, for values that cost to make and are often never read (an
 * entry's payload, parsed from its stored text: the dispatcher reads the steps of most entries a
 * store hands it, and the payload of few).
 *
 * Until then the field is an accessor that behaves as a plain field: enumerable (spread, JSON and
 * equality see it) and assignable (an assignment makes it a plain field with that value).
 */
export function lazyField<T extends object, K extends keyof T>(target: T, key: K, compute: () => T[K]): T {
  let computed: { value: T[K] } | undefined;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      computed ??= { value: compute() };
      return computed.value;
    },
    set(value: T[K]) {
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
    },
  });
  return target;
}
