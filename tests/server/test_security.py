"""The browser boundary: Host allow-list and cross-origin refusal (security rule 4)."""

from __future__ import annotations

import pytest

from cairn.server.security import host_allowed, split_host


@pytest.mark.parametrize(
    ("host", "name"),
    [("localhost:5000", "localhost"), ("[::1]:5000", "::1"), ("Example.COM", "example.com")],
)
def test_split_host_strips_port_and_brackets(host: str, name: str) -> None:
    assert split_host(host) == name


@pytest.mark.parametrize(
    "host", ["localhost", "127.0.0.1:5000", "[::1]:80", "10.1.2.3", "a.localhost"]
)
def test_loopback_names_and_ip_literals_are_always_allowed(host: str) -> None:
    assert host_allowed(host, ())


def test_other_names_need_the_allow_list() -> None:
    assert not host_allowed("attacker.example", ())
    assert host_allowed("tracking.corp", ("tracking.corp",))
    assert host_allowed("a.corp.example", ("*.corp.example",))
    assert not host_allowed("corp.example.evil", ("*.corp.example",))
    assert host_allowed("anything", ("*",))
    assert not host_allowed("", ())
