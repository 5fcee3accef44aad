"""The feature-importance chart: valid SVG, ordered bars, escaped labels, capped length."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cairn.autologging.importance_chart import MAX_BARS, importance_svg

SVG = "{http://www.w3.org/2000/svg}"


def _labels(svg: str) -> list[str]:
    texts = ET.fromstring(svg).iter(f"{SVG}text")
    return [t.text or "" for t in texts if t.get("text-anchor") == "end"]


def test_bars_are_ordered_most_important_first_and_scaled() -> None:
    svg = importance_svg({"a": 1.0, "b": 4.0, "c": 2.0}, "Feature importance (gain)")
    root = ET.fromstring(svg)
    assert _labels(svg) == ["b", "c", "a"]
    widths = [float(r.get("width", 0)) for r in root.iter(f"{SVG}rect")][1:]  # [0]: background
    assert widths == [320.0, 160.0, 80.0]
    assert "Feature importance (gain)" in [t.text for t in root.iter(f"{SVG}text")]


def test_feature_names_are_escaped_not_markup() -> None:
    name = "<script>alert(1)</script>&"
    svg = importance_svg({name: 1.0}, "t")
    assert "<script>" not in svg
    assert _labels(svg) == [name]


def test_only_the_most_important_features_are_drawn() -> None:
    scores = {f"f{i}": float(i) for i in range(MAX_BARS + 10)}
    labels = _labels(importance_svg(scores, "t"))
    assert len(labels) == MAX_BARS and labels[0] == f"f{MAX_BARS + 9}"


def test_all_zero_scores_draw_empty_bars() -> None:
    root = ET.fromstring(importance_svg({"a": 0.0}, "t"))
    assert [r.get("width") for r in root.iter(f"{SVG}rect")][1:] == ["0.0"]
