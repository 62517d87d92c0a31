// Fact text a person reads, in both languages. Facts stay English: rule conditions, `rules facts`
// and the catalogue see them unchanged. A fact object may carry the Japanese of some of its fields
// (and a list of strings the Japanese of its items) under the `JA` symbol, which neither CEL nor
// JSON sees; `localized(facts, 'ja')` lays it over a copy, from which the Japanese texts render.
import type { Lang } from '../../model/finding.js';

export const JA: unique symbol = Symbol('ja');

type WithJa<T> = T & { [JA]?: Partial<Record<keyof T, unknown>> };

// Not enumerable: equality checks, spreads and JSON see the facts as they always were. A spread
// copy loses the Japanese: merge fact objects with `mergeFacts`.
const hide = (target: object, value: unknown): void => {
  Object.defineProperty(target, JA, { value, enumerable: false, configurable: true, writable: true });
};

/** `obj` with the Japanese of the given fields (the English stays in the fields themselves). */
export function withJa<T extends object>(obj: T, ja: Partial<Record<keyof T, unknown>>): T {
  hide(obj, Object.assign({}, (obj as WithJa<T>)[JA], ja));
  return obj;
}

/** A list of English strings that renders as `ja` in Japanese (same items, same order). */
export function jaList<T>(en: T[], ja: unknown[]): T[] {
  // An empty list reads the same in both languages; most lists of a healthy tunnel are empty, and
  // a hidden property costs every one of them a slower object.
  if (en.length > 0) hide(en, ja);
  return en;
}

/**
 * `{ ...a, ...b }` that keeps the Japanese of both. Object.assign, not spreads: in Node 20's V8 a
 * spread into an object that already has properties takes a slow path, about ten times the cost of
 * Object.assign, and the facts of every tunnel are merged on each evaluation (npm run bench).
 */
export function mergeFacts<A extends object, B extends object>(a: A, b: B): A & B {
  const out = Object.assign({}, a, b);
  if (!(JA in a) && !(JA in b)) return out;
  const ja: Record<string, unknown> = {
    ...(a as { [JA]?: Record<string, unknown> })[JA],
    ...(b as { [JA]?: Record<string, unknown> })[JA],
  };
  if (Object.keys(ja).length > 0) hide(out, ja);
  return out;
}

/** One text in both languages, for code that builds its text from parts. */
export interface Bilingual {
  en: string;
  ja: string;
}

/** Split bilingual texts into the English list, carrying the Japanese. */
export function bilingualList(items: readonly Bilingual[]): string[] {
  return jaList(
    items.map((i) => i.en),
    items.map((i) => i.ja),
  );
}

/** One field of a fact object as Japanese reads it. */
export function jaField<T extends object, K extends keyof T>(obj: T, key: K): T[K] {
  const ja = (obj as WithJa<T>)[JA];
  return (ja && key in ja ? ja[key] : obj[key]) as T[K];
}

/** The facts as the given language reads them (English: the facts themselves). */
export function localized<T>(value: T, lang: Lang): T {
  if (lang === 'en') return value;
  return toJa(value) as T;
}

/**
 * A record of facts as Japanese reads them, each root converted on first read (a finding's texts
 * read a few roots of many). Keys, order and values are those of `localized(facts, 'ja')`.
 */
export function localizedRoots<T extends Record<string, unknown>>(facts: T): T {
  const out = {} as Record<string, unknown>;
  for (const key of Object.keys(facts)) {
    Object.defineProperty(out, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        const value = toJa(facts[key]);
        Object.defineProperty(out, key, { value, enumerable: true, configurable: true });
        return value;
      },
    });
  }
  const ja = (facts as { [JA]?: Record<string, unknown> })[JA];
  if (ja)
    for (const [k, v] of Object.entries(ja))
      Object.defineProperty(out, k, { value: toJa(v), enumerable: true, configurable: true });
  return out as T;
}

function toJa(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const ja = (value as unknown[] & { [JA]?: unknown[] })[JA];
    return (ja ?? value).map(toJa);
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toJa(v);
  const ja = (value as { [JA]?: Record<string, unknown> })[JA];
  if (ja) for (const [k, v] of Object.entries(ja)) out[k] = toJa(v);
  return out;
}
