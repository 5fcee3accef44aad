"""Table-driven runs filters on every backend: each filter with the exact runs it selects.

Searches cover experiments 1 and 2, active runs only, so the candidates are alpha-cnn, alpha-rnn,
Alpha-CNN-2, beta-base, beta-large, beta-nan and bare (see conftest.py for their rows).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cairn.entities.lifecycle import ViewType
from cairn.errors import InvalidParameterValue

SearchRuns = Callable[..., list[str]]

ALL = {"alpha-cnn", "alpha-rnn", "Alpha-CNN-2", "beta-base", "beta-large", "beta-nan", "bare"}

MATCHES: dict[str, list[tuple[str, set[str]]]] = {
    "string attributes": [
        ("attributes.status = 'FINISHED'", {"alpha-cnn", "Alpha-CNN-2", "beta-large"}),
        ("status != 'FINISHED'", {"alpha-rnn", "beta-base", "beta-nan", "bare"}),
        ("attributes.status = 'finished'", set()),
        ("attr.user_id = 'alice'", {"alpha-cnn"}),
        ("run.user_id ILIKE 'ALICE'", {"alpha-cnn", "Alpha-CNN-2"}),
        ("attributes.run_name = 'alpha-cnn'", {"alpha-cnn"}),
        ("attributes.run_name LIKE 'alpha%'", {"alpha-cnn", "alpha-rnn"}),
        ("attributes.run_name ILIKE 'alpha%'", {"alpha-cnn", "alpha-rnn", "Alpha-CNN-2"}),
        ("`Run name` = 'beta-base'", {"beta-base"}),
        ("\"run name\" LIKE 'beta-%'", {"beta-base", "beta-large", "beta-nan"}),
        ("`Run Name` RLIKE '^beta-(base|nan)$'", {"beta-base", "beta-nan"}),
        ("run_name RLIKE '^alpha'", {"alpha-cnn", "alpha-rnn"}),
        ("run_name RLIKE 'CNN'", {"Alpha-CNN-2"}),
        ("run_name RLIKE '-[0-9]+$'", {"Alpha-CNN-2"}),
        ("attributes.artifact_uri LIKE 'file://%'", {"Alpha-CNN-2"}),
        ("attributes.artifact_uri LIKE 's3://%'", ALL - {"Alpha-CNN-2"}),
        ("attributes.run_id = 'r01'", {"alpha-cnn"}),
        ("attributes.run_id IN ('r01', 'r04', 'r07')", {"alpha-cnn", "beta-base"}),
        ("run_id NOT IN ('r01','r02')", ALL - {"alpha-cnn", "alpha-rnn"}),
        ("run_id in ('r09')", set()),
    ],
    "numeric attributes": [
        ("attributes.start_time > 3000", {"beta-base", "beta-large", "beta-nan"}),
        ("start_time >= 3000", {"Alpha-CNN-2", "beta-base", "beta-large", "beta-nan"}),
        ("created < 2000", {"alpha-cnn", "bare"}),
        ("Created = 1000", {"alpha-cnn", "bare"}),
        ("attributes.end_time <= 1500", {"alpha-cnn"}),
        ("end_time != 1500", {"Alpha-CNN-2", "beta-large", "beta-nan"}),
        ("NOT end_time != 1500", {"alpha-cnn", "alpha-rnn", "beta-base", "bare"}),
        ("start_time > 2.5e3", {"Alpha-CNN-2", "beta-base", "beta-large", "beta-nan"}),
        ("start_time > 4999.5", {"beta-large", "beta-nan"}),
        ("start_time != -1", ALL),
        ("start_time < 99999999999999999999", ALL),
    ],
    "params": [
        ("params.lr = '0.01'", {"alpha-cnn", "Alpha-CNN-2"}),
        ("param.lr != '0.01'", {"alpha-rnn", "beta-base", "beta-large", "beta-nan"}),
        ("parameter.model = 'CNN'", {"alpha-cnn", "beta-nan"}),
        ("parameters.model = 'cnn'", {"Alpha-CNN-2"}),
        ("params.model LIKE '%former%'", {"beta-base", "beta-large"}),
        ("params.model LIKE 'T%'", {"beta-base"}),
        ("params.model ILIKE 't%'", {"beta-base", "beta-large"}),
        ("params.model ILIKE 'cnn'", {"alpha-cnn", "Alpha-CNN-2", "beta-nan"}),
        ("params.model RLIKE '^[A-Z]+$'", {"alpha-cnn", "beta-nan"}),
        ("params.model RLIKE 'cnn'", {"Alpha-CNN-2"}),
        ("params.model LIKE 'CN_'", {"alpha-cnn", "beta-nan"}),
        ("params.model LIKE 'CN\\_'", set()),
        ("params.note LIKE '100\\%%'", {"beta-large"}),
        ("params.note LIKE '%\\_sure'", {"beta-large"}),
        ("params.optimizer IS NULL", {"Alpha-CNN-2", "beta-nan", "bare"}),
        ("params.optimizer is not null", {"alpha-cnn", "alpha-rnn", "beta-base", "beta-large"}),
        ("params.\"my key\" = 'a b'", {"alpha-cnn"}),
        ("params.`my key` IS NOT NULL", {"alpha-cnn", "Alpha-CNN-2"}),
        ("params.a.b = 'dotted'", {"alpha-cnn"}),
        ("params.`a.b` = 'dotted'", {"alpha-cnn"}),
        ("`params`.lr = '0.1'", {"alpha-rnn", "beta-large"}),
        ('PARAMS.lr = "0.1"', {"alpha-rnn", "beta-large"}),
        ("params.missing = 'x'", set()),
        ("params.missing != 'x'", set()),
        ("params.missing IS NULL", ALL),
        ("params.lr = '0.01' AND params.model = 'cnn'", {"Alpha-CNN-2"}),
        ("params.lr = '0.01' and params.lr != '0.01'", set()),
        ("params.lr = 'it''s'", set()),
    ],
    "tags": [
        ("tags.team = 'vision'", {"alpha-cnn", "alpha-rnn"}),
        ("tag.team ILIKE 'VISION'", {"alpha-cnn", "alpha-rnn", "Alpha-CNN-2"}),
        ("tags.team != 'nlp'", {"alpha-cnn", "alpha-rnn", "Alpha-CNN-2"}),
        ("tags.priority IS NULL", {"Alpha-CNN-2", "beta-nan", "bare"}),
        ("tags.priority RLIKE '^[a-z]+$'", {"alpha-cnn", "beta-base", "beta-large"}),
        ("tags.`mlflow.runName` = 'alpha-cnn'", {"alpha-cnn"}),
        ("tags.\"with space\" = 'yes'", {"beta-base"}),
        (
            "tags.team IS NOT NULL AND NOT tags.team = 'nlp'",
            {"alpha-cnn", "alpha-rnn", "Alpha-CNN-2"},
        ),
    ],
    "metrics": [
        ("metrics.acc > 0.8", {"alpha-cnn", "Alpha-CNN-2", "beta-large"}),
        ("metric.acc >= 0.9", {"alpha-cnn", "Alpha-CNN-2"}),
        ("metrics.acc < 0.6", {"beta-base"}),
        ("metrics.acc = 0", set()),
        ("metrics.loss = 0", {"beta-nan"}),
        ("metrics.loss <= 0", {"beta-large", "beta-nan"}),
        ("metrics.loss < -1", {"beta-large"}),
        ("metrics.loss > -1.5e0", {"alpha-cnn", "alpha-rnn", "Alpha-CNN-2", "beta-nan"}),
        ("metrics.acc != 0.9", {"alpha-rnn", "Alpha-CNN-2", "beta-base", "beta-large"}),
        ("metrics.acc <> 0.9", {"alpha-rnn", "Alpha-CNN-2", "beta-base", "beta-large"}),
        ("NOT metrics.acc > 0.8", {"alpha-rnn", "beta-base", "beta-nan", "bare"}),
        ("metrics.acc>.8", {"alpha-cnn", "Alpha-CNN-2", "beta-large"}),
        ("metrics.missing > 0", set()),
        ("metrics.acc > 1", set()),
        (
            "metrics.acc < 1e300",
            {"alpha-cnn", "alpha-rnn", "Alpha-CNN-2", "beta-base", "beta-large"},
        ),
    ],
    "datasets": [
        ("datasets.name = 'mnist'", {"alpha-cnn", "alpha-rnn"}),
        (
            "dataset.name IN ('imdb', 'MNIST-large')",
            {"alpha-cnn", "Alpha-CNN-2", "beta-base", "beta-large"},
        ),
        ("datasets.name NOT IN ('mnist')", {"alpha-cnn", "Alpha-CNN-2", "beta-base", "beta-large"}),
        ("datasets.name LIKE 'MNIST%'", {"alpha-cnn", "Alpha-CNN-2"}),
        ("datasets.name ILIKE 'mnist%'", {"alpha-cnn", "alpha-rnn", "Alpha-CNN-2"}),
        ("datasets.digest = 'abc123'", {"alpha-cnn", "alpha-rnn"}),
        ("datasets.digest RLIKE '^f+0+$'", {"beta-base", "beta-large"}),
        ("datasets.name = 'imdb'", {"beta-base", "beta-large"}),
        ("datasets.context = 'training'", {"alpha-cnn", "alpha-rnn"}),
        ("datasets.context ILIKE 'training'", {"alpha-cnn", "alpha-rnn", "beta-base"}),
        ("datasets.context IN ('eval')", {"alpha-cnn", "beta-large"}),
        ("datasets.context != 'training'", {"alpha-cnn", "beta-base", "beta-large"}),
        ("datasets.name = 'mnist' AND datasets.context = 'eval'", {"alpha-cnn"}),
    ],
    "boolean logic": [
        ("params.model = 'CNN' OR params.model = 'cnn'", {"alpha-cnn", "Alpha-CNN-2", "beta-nan"}),
        (
            "tags.team = 'nlp' AND metrics.acc > 0.6 OR params.lr = '0.1'",
            {"alpha-rnn", "beta-large"},
        ),
        (
            "tags.team = 'nlp' AND (metrics.acc > 0.4 OR params.lr = '0.1')",
            {"beta-base", "beta-large"},
        ),
        (
            "params.lr = '0.1' OR tags.team = 'nlp' AND metrics.acc < 0.6",
            {"alpha-rnn", "beta-large", "beta-base"},
        ),
        ("NOT params.model = 'CNN'", ALL - {"alpha-cnn", "beta-nan"}),
        ("NOT params.lr = '0.01' AND NOT tags.team = 'nlp'", {"alpha-rnn", "bare"}),
        ("NOT (params.lr = '0.01' OR tags.team = 'nlp')", {"alpha-rnn", "bare"}),
        ("NOT NOT status = 'RUNNING'", {"beta-base"}),
        ("((status = 'RUNNING'))", {"beta-base"}),
        (
            "status = 'FAILED' or status = 'KILLED' Or status = 'SCHEDULED'",
            {"alpha-rnn", "beta-nan", "bare"},
        ),
        (
            "not (status = 'FINISHED') and (metrics.acc > 0.6 or tags.team = 'nlp')",
            {"alpha-rnn", "beta-base", "beta-nan"},
        ),
        ("", ALL),
        ("   ", ALL),
    ],
}


ERRORS: list[tuple[str, int, str]] = [
    # filter, error position, a fragment of the message
    ("params.model = CNN", 15, "expected a quoted string after '=', found 'CNN'"),
    ("metrics.acc > 'a'", 14, "metric 'acc' must be compared with a number, found 'a'"),
    ("metrics.acc > high", 14, "expected a number after '>', found 'high'"),
    ("attributes.foo = 'x'", 0, "unknown run attribute 'foo'"),
    ("Status = 'RUNNING'", 0, "unknown run attribute 'Status'"),
    ("params.lr IN ('0.1')", 10, "comparator IN is not supported for param 'lr'"),
    ("tags.team NOT IN ('nlp')", 10, "comparator NOT IN is not supported for tag 'team'"),
    ("metrics.acc IS NULL", 12, "comparator IS NULL is not supported for metric 'acc'"),
    ("metrics.acc LIKE '0.9'", 12, "comparator LIKE is not supported for metric 'acc'"),
    ("attributes.status IN ('FINISHED')", 18, "IN is not supported for attribute 'status'"),
    ("attributes.end_time IS NULL", 20, "IS NULL is not supported for attribute 'end_time'"),
    ("created LIKE '1%'", 8, "LIKE is not supported for attribute 'start_time'"),
    ("attributes.run_id IN ()", 22, "the IN list is empty"),
    ("(params.lr = '0.1'", 18, "expected ')' to close the '(' at position 0"),
    ("params.lr = '0.1')", 17, "unexpected ')' after a complete expression"),
    ("params.lr = '0.1' garbage", 18, "unexpected 'garbage' after a complete expression"),
    ("params.lr ~ '0.1'", 10, "unexpected character '~'"),
    ("params.lr == '0.1'", 11, "expected a quoted string after '=', found '='"),
    ("params.lr CONTAINS '0.1'", 10, "expected a comparator after 'params.lr'"),
    ("params.lr NOT LIKE 'x'", 14, "expected IN, found 'LIKE'"),
    ("params.lr IS 'x'", 13, "expected NULL, found \"'x'\""),
    ("params.lr = 0.1", 12, "param 'lr' must be compared with a quoted string, found 0.1"),
    ("tags.team = 1", 12, "tag 'team' must be compared with a quoted string"),
    ("start_time > '1000'", 13, "attribute 'start_time' must be compared with a number"),
    ("attributes.status = 1", 20, "attribute 'status' must be compared with a quoted string"),
    ("attributes.run_id IN ('a', 1)", 27, "must be compared with a quoted string, found 1"),
    ("attributes.run_id IN ('a' 'b')", 26, "expected ',' or ')' in the IN list"),
    ("foo.bar = 'x'", 0, "unknown identifier type 'foo'"),
    ("params. = 'x'", 7, "expected a key after 'params.'"),
    ("params.lr = '0.1' AND", 21, "expected an identifier, found end of filter"),
    ("params.lr = '0.1' OR OR tags.a = 'b'", 21, "expected an identifier, found 'OR'"),
    ("metrics.acc > 0.5 AND (tags.a = 'b' OR)", 38, "expected an identifier, found ')'"),
    ("NOT", 3, "expected an identifier, found end of filter"),
    ("()", 1, "expected an identifier, found ')'"),
    ("params.lr = 'unterminated", 12, "unterminated quoted text"),
    ("start_time > 12abc", 13, "invalid number '12abc'"),
    ("datasets.size = 'x'", 0, "unknown dataset field 'size'"),
    ("datasets.name IS NULL", 14, "IS NULL is not supported for dataset name"),
    ("datasets.digest > 'a'", 16, "comparator > is not supported for dataset digest"),
    ("params.model RLIKE '('", 19, "invalid regular expression '('"),
    ("metrics.acc > 1e400", 14, "number 1e400 is out of range"),
]


@pytest.mark.parametrize("category", MATCHES)
def test_filter_selects_exactly_the_expected_runs(
    search_runs: SearchRuns, subtests: pytest.Subtests, category: str
) -> None:
    for filter_string, expected in MATCHES[category]:
        with subtests.test(msg=filter_string):
            assert set(search_runs(filter_string)) == expected


def test_invalid_filter_is_rejected_with_its_position(
    search_runs: SearchRuns, subtests: pytest.Subtests
) -> None:
    for filter_string, position, message in ERRORS:
        with subtests.test(msg=filter_string):
            with pytest.raises(InvalidParameterValue) as raised:
                search_runs(filter_string)
            assert raised.value.message.startswith(f"Invalid filter at position {position}: ")
            assert message in raised.value.message


def test_table_has_at_least_eighty_cases() -> None:
    assert sum(len(cases) for cases in MATCHES.values()) + len(ERRORS) >= 80


@pytest.mark.parametrize(
    ("view_type", "expected"),
    [
        (ViewType.ACTIVE_ONLY, {"alpha-cnn", "Alpha-CNN-2"}),
        (ViewType.DELETED_ONLY, {"gone"}),
        (ViewType.ALL, {"alpha-cnn", "Alpha-CNN-2", "gone"}),
    ],
)
def test_view_type_selects_runs_by_lifecycle_stage(
    search_runs: SearchRuns, view_type: ViewType, expected: set[str]
) -> None:
    assert set(search_runs("params.lr = '0.01'", view_type=view_type)) == expected


def test_only_the_requested_experiments_are_searched(search_runs: SearchRuns) -> None:
    assert search_runs("status = 'FINISHED'", experiment_ids=[4]) == ["other-exp"]
    assert set(search_runs("status = 'FINISHED'", experiment_ids=[2, 4])) == {
        "beta-large",
        "other-exp",
    }
    assert search_runs(None, experiment_ids=[]) == []
    assert search_runs(None, experiment_ids=[2**40]) == []
