/**
 * A lenient lexer of the search language for the filter box's completion: it never throws,
 * keeps unterminated quotes as tokens, and records which tokens are glued together.
 */
type Kind = "word" | "dot" | "backtick" | "string" | "number" | "op" | "(" | ")" | "," | "bad";
export interface Tok {
  kind: Kind;
  text: string;
  start: number;
  end: number;
  closed: boolean;
  glued: boolean;
}

const isWordChar = (ch: string) => /[A-Za-z0-9_]/.test(ch);
const OPS = ["!=", "<>", ">=", "<=", "=", ">", "<"];

export function lex(text: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let glued = false;
  const push = (kind: Kind, start: number, closed = true) =>
    toks.push({ kind, text: text.slice(start, i), start, end: i, closed, glued });
  while (i < text.length) {
    const spaceStart = i;
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    glued = i === spaceStart && toks.length > 0;
    const ch = text[i];
    const start = i;
    const prev = toks[toks.length - 1];
    const afterDot = glued && prev?.kind === "dot";
    if (ch === "'" || ch === '"' || ch === "`") {
      i++;
      let closed = false;
      while (i < text.length) {
        if (text[i] === ch && text[i + 1] === ch) i += 2;
        else if (text[i] === ch) {
          i++;
          closed = true;
          break;
        } else i++;
      }
      push(ch === "`" ? "backtick" : "string", start, closed);
    } else if (isWordChar(ch) && (!/[0-9]/.test(ch) || afterDot)) {
      while (i < text.length && isWordChar(text[i])) i++;
      push("word", start);
    } else if (ch === "." && glued && prev && ["word", "backtick", "string"].includes(prev.kind)) {
      i++;
      push("dot", start);
    } else if (/[0-9+\-.]/.test(ch)) {
      i++;
      while (i < text.length && /[0-9.eE+\-]/.test(text[i])) i++;
      push("number", start);
    } else if (ch === "(" || ch === ")" || ch === ",") {
      i++;
      push(ch, start);
    } else {
      const op = OPS.find((o) => text.startsWith(o, i));
      i += op ? op.length : 1;
      push(op ? "op" : "bad", start);
    }
  }
  return toks;
}

export function unquote(tok: Tok): string {
  if (tok.kind !== "backtick" && tok.kind !== "string") return tok.text;
  const q = tok.text[0];
  const body = tok.text.slice(1, tok.closed ? -1 : undefined);
  return body.split(q + q).join(q);
}

/** Group glued word/dot/quoted tokens into identifier chains. */
export function chains(toks: Tok[]): Tok[][] {
  const out: Tok[][] = [];
  for (const t of toks) {
    const last = out[out.length - 1];
    const chainable = t.kind === "word" || t.kind === "dot" || t.kind === "backtick";
    const lastTok = last?.[last.length - 1];
    const joins =
      last &&
      t.glued &&
      lastTok &&
      ((t.kind === "dot" && lastTok.kind !== "dot") ||
        (lastTok.kind === "dot" && (chainable || t.kind === "string")));
    if (joins) last.push(t);
    else out.push([t]);
  }
  return out;
}
