/**
 * Autocomplete for the runs filter box: given the text and the caret, what may come next —
 * `metrics.`/`params.`/`tags.`/`attributes.` and the experiment's key names where an identifier
 * goes, the comparators that fit the identifier's type after it, status values, and AND/OR after
 * a complete comparison. A lenient little lexer and state machine; the server stays the judge of
 * what is valid (its error is shown as is).
 */
import { chains, lex, unquote, type Tok } from "./filterLexer";
import { quoteKey } from "./urlState";

export interface FilterKeys {
  metrics: readonly string[];
  params: readonly string[];
  tags: readonly string[];
}

export interface Suggestion {
  /** What the list shows. */
  label: string;
  /** The text that replaces [from, to). */
  insert: string;
  /** A hint shown beside the label (the kind of name). */
  detail?: string;
}

export interface Completion {
  from: number;
  to: number;
  options: Suggestion[];
}

type EntityType = "metrics" | "params" | "tags" | "attributes" | "datasets";
const PREFIX_ALIASES: Record<string, EntityType> = {
  metric: "metrics",
  metrics: "metrics",
  param: "params",
  params: "params",
  parameter: "params",
  parameters: "params",
  tag: "tags",
  tags: "tags",
  attribute: "attributes",
  attributes: "attributes",
  attr: "attributes",
  run: "attributes",
  dataset: "datasets",
  datasets: "datasets",
};
export const ATTRIBUTES = [
  "run_id",
  "run_name",
  "status",
  "user_id",
  "artifact_uri",
  "start_time",
  "end_time",
] as const;
const NUMERIC_ATTRIBUTES = new Set(["start_time", "end_time", "created", "Created"]);
const STATUSES = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];
const KEYWORDS = new Set(["AND", "OR", "NOT", "IN", "IS", "NULL", "LIKE", "ILIKE", "RLIKE"]);

interface Ident {
  type: EntityType;
  key: string;
}

/** An identifier chain's type and key: `metrics.val.loss` -> metrics, `val.loss`. */
function parseIdent(chain: Tok[]): Ident {
  const segments = chain.filter((t) => t.kind !== "dot").map(unquote);
  const type = segments.length > 1 ? PREFIX_ALIASES[segments[0]] : undefined;
  if (type) return { type, key: segments.slice(1).join(".") };
  return { type: "attributes", key: segments.join(".") };
}

type State =
  | { s: "ident" }
  | { s: "afterIdent"; ident: Ident }
  | { s: "afterNot"; ident: Ident }
  | { s: "afterIn" }
  | { s: "inList" }
  | { s: "afterIs" }
  | { s: "afterOp"; ident: Ident }
  | { s: "afterValue" };

function step(state: State, chain: Tok[]): State | null {
  const first = chain[0];
  const word = chain.length === 1 && first.kind === "word" ? first.text.toUpperCase() : null;
  switch (state.s) {
    case "ident":
      if (first.kind === "(" || word === "NOT") return { s: "ident" };
      if (word && KEYWORDS.has(word)) return null;
      if (first.kind === "word" || first.kind === "backtick" || first.kind === "string")
        return { s: "afterIdent", ident: parseIdent(chain) };
      return null;
    case "afterIdent":
      if (first.kind === "op" || word === "LIKE" || word === "ILIKE" || word === "RLIKE")
        return { s: "afterOp", ident: state.ident };
      if (word === "IS") return { s: "afterIs" };
      if (word === "IN") return { s: "afterIn" };
      if (word === "NOT") return { s: "afterNot", ident: state.ident };
      return null;
    case "afterNot":
      return word === "IN" ? { s: "afterIn" } : null;
    case "afterIn":
      return first.kind === "(" ? { s: "inList" } : null;
    case "inList":
      if (first.kind === ")") return { s: "afterValue" };
      return first.kind === "string" || first.kind === "number" || first.kind === ","
        ? state
        : null;
    case "afterIs":
      if (word === "NOT") return state;
      return word === "NULL" ? { s: "afterValue" } : null;
    case "afterOp":
      return first.kind === "string" || first.kind === "number" ? { s: "afterValue" } : null;
    case "afterValue":
      if (word === "AND" || word === "OR") return { s: "ident" };
      return first.kind === ")" ? state : null;
  }
}

function rank(options: Suggestion[], typed: string, limit: number): Suggestion[] {
  const q = typed.toLowerCase();
  const scored = options
    .map((o) => {
      const l = o.label.toLowerCase();
      const score = l.startsWith(q) ? 0 : l.includes(q) ? 1 : -1;
      return { o, score };
    })
    .filter((x) => x.score >= 0);
  scored.sort((a, b) => a.score - b.score);
  return scored.slice(0, limit).map((x) => x.o);
}

function keysOf(type: EntityType, keys: FilterKeys): readonly string[] {
  if (type === "metrics") return keys.metrics;
  if (type === "params") return keys.params;
  if (type === "tags") return keys.tags;
  if (type === "attributes") return ATTRIBUTES;
  return ["name", "digest", "context"];
}

function identOptions(fragment: Tok[], keys: FilterKeys, limit: number): Suggestion[] {
  const dot = fragment.findIndex((t) => t.kind === "dot");
  if (dot > 0) {
    const prefix = fragment
      .slice(0, dot)
      .map((t) => t.text)
      .join("");
    const type = PREFIX_ALIASES[prefix];
    if (!type) return [];
    const partial = fragment
      .slice(dot + 1)
      .map(unquote)
      .join("");
    const options = keysOf(type, keys).map((key) => ({
      label: key,
      insert: `${prefix}.${type === "attributes" ? key : quoteKey(key)} `,
      detail: type,
    }));
    return rank(options, partial, limit);
  }
  const typed = fragment.map(unquote).join("");
  const prefixes = ["metrics.", "params.", "tags.", "attributes."].map((p) => ({
    label: p,
    insert: p,
    detail: "prefix",
  }));
  const full: { key: string; option: Suggestion }[] = [];
  const q = typed.toLowerCase();
  if (q) {
    for (const type of ["metrics", "params", "tags"] as const) {
      for (const key of keysOf(type, keys)) {
        if (!key.toLowerCase().includes(q)) continue;
        const option = {
          label: `${type}.${key}`,
          insert: `${type}.${quoteKey(key)} `,
          detail: type,
        };
        full.push({ key, option });
      }
    }
  }
  full.sort(
    (a, b) =>
      Number(!a.key.toLowerCase().startsWith(q)) - Number(!b.key.toLowerCase().startsWith(q)),
  );
  return [...rank(prefixes, typed, 4), ...full.map((f) => f.option)].slice(0, limit);
}

function operatorOptions(ident: Ident): string[] {
  if (ident.type === "metrics") return [">", "<", ">=", "<=", "=", "!="];
  if (ident.type === "params" || ident.type === "tags")
    return ["=", "!=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"];
  if (ident.type === "datasets") return ["=", "!=", "LIKE", "ILIKE", "IN"];
  if (NUMERIC_ATTRIBUTES.has(ident.key)) return [">", "<", ">=", "<=", "=", "!="];
  const ops = ["=", "!=", "LIKE", "ILIKE"];
  return ident.key === "run_id" ? [...ops, "IN", "NOT IN"] : ops;
}

/** What may be typed at `cursor`; null when nothing sensible is known. */
export function completeFilter(
  text: string,
  cursor: number,
  keys: FilterKeys,
  limit = 50,
): Completion | null {
  const toks = lex(text.slice(0, cursor));
  const all = chains(toks);
  let fragment: Tok[] = [];
  const last = all[all.length - 1];
  const lastTok = last?.[last.length - 1];
  if (lastTok && lastTok.end === cursor) {
    const fragmentKind =
      lastTok.kind === "word" ||
      lastTok.kind === "dot" ||
      lastTok.kind === "backtick" ||
      (lastTok.kind === "string" && !lastTok.closed);
    if (fragmentKind) fragment = all.pop()!;
    else if (lastTok.kind !== "(" && lastTok.kind !== "op") return null;
  }
  let state: State | null = { s: "ident" };
  for (const chain of all) {
    state = step(state, chain);
    if (!state) return null;
  }
  const from = fragment.length ? fragment[0].start : cursor;
  const typed = fragment.map((t) => t.text).join("");
  let options: Suggestion[] = [];
  switch (state.s) {
    case "ident":
      options = identOptions(fragment, keys, limit);
      break;
    case "afterIdent":
      if (!fragment.length && text[cursor - 1] && !/\s/.test(text[cursor - 1])) return null;
      options = rank(
        operatorOptions(state.ident).map((op) => ({ label: op, insert: `${op} ` })),
        typed,
        limit,
      );
      break;
    case "afterOp":
      if (state.ident.type === "attributes" && state.ident.key === "status") {
        const partial = typed.replace(/^['"]/, "");
        options = rank(
          STATUSES.map((s) => ({ label: s, insert: `'${s}' ` })),
          partial,
          limit,
        );
      }
      break;
    case "afterIs":
      options = rank(
        ["NULL", "NOT NULL"].map((k) => ({ label: k, insert: `${k} ` })),
        typed,
        limit,
      );
      break;
    case "afterValue":
      if (!fragment.length && text[cursor - 1] && !/[\s)]/.test(text[cursor - 1])) return null;
      options = rank(
        ["AND", "OR"].map((k) => ({ label: k, insert: `${k} ` })),
        typed,
        limit,
      );
      break;
    default:
      return null;
  }
  // A fragment that already is the one suggestion needs no list.
  if (options.length === 1 && options[0].insert.trim() === typed) return null;
  return options.length ? { from, to: cursor, options } : null;
}

/** The text and caret after picking `option` (the rest of the text after the caret is kept). */
export function applySuggestion(
  text: string,
  completion: Completion,
  option: Suggestion,
): { text: string; cursor: number } {
  let rest = text.slice(completion.to);
  if (option.insert.endsWith(" ") && rest.startsWith(" ")) rest = rest.slice(1);
  const before = text.slice(0, completion.from);
  return { text: before + option.insert + rest, cursor: before.length + option.insert.length };
}
