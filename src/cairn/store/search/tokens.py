"""The lexer of the search filter language: source text -> a flat list of positioned tokens.

Hand-written rather than regex-split so that every token knows where it started: a user who
mistypes a 200-character filter is told the exact position, not just "invalid clause". Positions
are 0-based offsets into the filter string (``filter_string[pos:]`` starts at the culprit).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from cairn.errors import InvalidParameterValue


class Kind(enum.Enum):
    WORD = "word"  # bare identifier segment or keyword (AND, OR, NOT, IN, IS, NULL, LIKE, ...)
    STRING = "string"  # '...' or "..." (a value, or a key segment on the left-hand side)
    BACKTICK = "backtick"  # `...`, always a key segment
    NUMBER = "number"
    DOT = "dot"
    OP = "op"  # = != <> > >= < <=
    LPAREN = "("
    RPAREN = ")"
    COMMA = ","
    EOF = "end of filter"


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str  # the source text, quotes included
    value: str  # the unquoted / unescaped content
    pos: int
    glued: bool  # no whitespace between this token and the previous one

    def describe(self) -> str:
        """How the token is quoted back in an error message."""
        return "end of filter" if self.kind is Kind.EOF else repr(self.text)


def filter_error(pos: int, detail: str, label: str = "filter") -> InvalidParameterValue:
    """The one error shape of the grammar, so every message names the position the same way.

    ``label`` names what was being parsed: "filter", or "order_by clause 'x DESC'".
    """
    return InvalidParameterValue(f"Invalid {label} at position {pos}: {detail}")


_OPERATORS = ("!=", "<>", ">=", "<=", "=", ">", "<")
_PUNCTUATION = {"(": Kind.LPAREN, ")": Kind.RPAREN, ",": Kind.COMMA}
_QUOTES = {"'": Kind.STRING, '"': Kind.STRING, "`": Kind.BACKTICK}


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class _Lexer:
    def __init__(self, text: str, label: str) -> None:
        self.text = text
        self.label = label
        self.pos = 0
        self.tokens: list[Token] = []
        self.glued = False

    def run(self) -> list[Token]:
        text = self.text
        while True:
            start = self.pos
            while self.pos < len(text) and text[self.pos].isspace():
                self.pos += 1
            self.glued = self.pos == start
            if self.pos >= len(text):
                self.tokens.append(Token(Kind.EOF, "", "", len(text), self.glued))
                return self.tokens
            self._one()

    def _emit(self, kind: Kind, start: int, value: str | None = None) -> None:
        text = self.text[start : self.pos]
        self.tokens.append(Token(kind, text, text if value is None else value, start, self.glued))

    def _after_dot(self) -> bool:
        return bool(self.tokens) and self.tokens[-1].kind is Kind.DOT and self.glued

    def _one(self) -> None:
        ch = self.text[self.pos]
        start = self.pos
        if ch in _QUOTES:
            self._emit(_QUOTES[ch], start, self._quoted(ch))
        elif _is_word_char(ch) and (not ch.isdigit() or self._after_dot()):
            self._word()
            self._emit(Kind.WORD, start)
        elif ch == "." and self._can_be_dot():
            self.pos += 1
            self._emit(Kind.DOT, start)
        elif ch.isdigit() or ch in "+-.":
            self._number()
            self._emit(Kind.NUMBER, start)
        elif ch in _PUNCTUATION:
            self.pos += 1
            self._emit(_PUNCTUATION[ch], start)
        else:
            op = next((o for o in _OPERATORS if self.text.startswith(o, start)), None)
            if op is None:
                raise filter_error(start, f"unexpected character {ch!r}", self.label)
            self.pos += len(op)
            self._emit(Kind.OP, start)

    def _can_be_dot(self) -> bool:
        """A dot right after a key segment separates segments; elsewhere it starts a number."""
        prev = self.tokens[-1] if self.tokens else None
        key_kinds = (Kind.WORD, Kind.STRING, Kind.BACKTICK)
        return prev is not None and prev.kind in key_kinds and self.glued

    def _word(self) -> None:
        while self.pos < len(self.text) and _is_word_char(self.text[self.pos]):
            self.pos += 1

    def _digits(self) -> int:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos].isdigit():
            self.pos += 1
        return self.pos - start

    def _number(self) -> None:
        """``[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?``, then no word char."""
        start = self.pos
        text = self.text
        if text[self.pos] in "+-":
            self.pos += 1
        mantissa = self._digits()
        if self.pos < len(text) and text[self.pos] == ".":
            self.pos += 1
            mantissa += self._digits()
        if mantissa and self.pos < len(text) and text[self.pos] in "eE":
            self.pos += 1
            if self.pos < len(text) and text[self.pos] in "+-":
                self.pos += 1
            if not self._digits():
                mantissa = 0
        if not mantissa or (self.pos < len(text) and _is_word_char(text[self.pos])):
            self._word()
            raise filter_error(start, f"invalid number {text[start : self.pos]!r}", self.label)

    def _quoted(self, quote: str) -> str:
        """Read a quoted token; the quote is escaped by doubling it or with a backslash.

        Other backslashes are kept as written, so regular expressions survive unchanged.
        """
        start = self.pos
        text = self.text
        self.pos += 1
        out: list[str] = []
        while self.pos < len(text):
            ch = text[self.pos]
            if ch == "\\" and self.pos + 1 < len(text):
                nxt = text[self.pos + 1]
                out.append(nxt if nxt == quote else ch + nxt)
                self.pos += 2
            elif ch == quote and text.startswith(quote * 2, self.pos):
                out.append(quote)
                self.pos += 2
            elif ch == quote:
                self.pos += 1
                return "".join(out)
            else:
                out.append(ch)
                self.pos += 1
        raise filter_error(start, f"unterminated quoted text starting with {quote}", self.label)


def tokenize(text: str, label: str = "filter") -> list[Token]:
    """Split a filter into tokens, always ending with an EOF token."""
    return _Lexer(text, label).run()
