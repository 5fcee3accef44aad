"""The lexer: token kinds, positions, quoting rules and lexical errors."""

from __future__ import annotations

import pytest

from cairn.errors import InvalidParameterValue
from cairn.store.search.tokens import Kind, tokenize


def kinds_and_values(text: str) -> list[tuple[Kind, str]]:
    return [(tok.kind, tok.value) for tok in tokenize(text)]


def test_tokens_carry_kind_value_and_start_position() -> None:
    tokens = tokenize("params.lr >= '0.1'")
    assert [(t.kind, t.value, t.pos) for t in tokens] == [
        (Kind.WORD, "params", 0),
        (Kind.DOT, ".", 6),
        (Kind.WORD, "lr", 7),
        (Kind.OP, ">=", 10),
        (Kind.STRING, "0.1", 13),
        (Kind.EOF, "", 18),
    ]


def test_glued_marks_tokens_without_preceding_whitespace() -> None:
    assert [t.glued for t in tokenize("a.b = 'x'")][:4] == [True, True, True, False]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("'plain'", "plain"),
        ('"double"', "double"),
        ("'it''s'", "it's"),
        ("'it\\'s'", "it's"),
        ('"say ""hi"""', 'say "hi"'),
        ("'\\d+\\.\\w'", "\\d+\\.\\w"),
        ("'100\\%'", "100\\%"),
        ("''", ""),
    ],
)
def test_quoted_strings_unescape_only_their_own_quote(text: str, value: str) -> None:
    assert kinds_and_values(text)[0] == (Kind.STRING, value)


def test_backticks_quote_a_key_segment() -> None:
    assert kinds_and_values("tags.`mlflow.runName`")[2] == (Kind.BACKTICK, "mlflow.runName")


@pytest.mark.parametrize("number", ["1", "-1", "+1", "1.5", "-0.25", ".5", "1.", "1e3", "-2.5E-3"])
def test_numbers_accept_sign_fraction_and_exponent(number: str) -> None:
    assert kinds_and_values(f"x > {number}")[2] == (Kind.NUMBER, number)


def test_digits_after_a_dot_in_an_identifier_are_a_key_not_a_number() -> None:
    assert kinds_and_values("metrics.1st")[:3] == [
        (Kind.WORD, "metrics"),
        (Kind.DOT, "."),
        (Kind.WORD, "1st"),
    ]


@pytest.mark.parametrize("op", ["=", "!=", "<>", ">", ">=", "<", "<="])
def test_every_comparison_operator_is_one_token(op: str) -> None:
    assert kinds_and_values(f"x{op}1")[1] == (Kind.OP, op)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a ~ 1", "Invalid filter at position 2: unexpected character '~'"),
        ("a = 1x", "Invalid filter at position 4: invalid number '1x'"),
        ("a = 1e", "Invalid filter at position 4: invalid number '1e'"),
        ("a = -", "Invalid filter at position 4: invalid number '-'"),
        ("a = 'open", "Invalid filter at position 4: unterminated quoted text starting with '"),
        ("`open", "Invalid filter at position 0: unterminated quoted text starting with `"),
    ],
)
def test_lexical_errors_name_the_position(text: str, message: str) -> None:
    with pytest.raises(InvalidParameterValue) as raised:
        tokenize(text)
    assert raised.value.message == message
