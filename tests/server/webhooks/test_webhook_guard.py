"""The outbound-request guard: scheme, credentials, and where the host resolves to."""

from __future__ import annotations

import socket
from collections.abc import Sequence

import pytest

from cairn.errors import InvalidParameterValue
from cairn.server.webhooks.guard import (
    BlockedDestination,
    Destination,
    UnresolvableHost,
    UrlGuard,
)


def resolver(table: dict[str, Sequence[str]]):  # type: ignore[no-untyped-def]
    def resolve(host: str, port: int) -> Sequence[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return table[host]

    return resolve


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://127.0.0.1:5000/hook",
        "http://10.0.0.5/hook",
        "http://172.16.3.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.100.100.200/",
        "http://0.0.0.0/",
        "http://224.0.1.1/",
        "http://[::1]/hook",
        "http://[::]/",
        "http://[fe80::1]/",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::a00:1]/",
        "http://[2002:7f00:1::]/",
    ],
)
def test_private_and_special_addresses_are_refused(url: str) -> None:
    with pytest.raises(BlockedDestination):
        UrlGuard(resolver=resolver({})).check(url)


@pytest.mark.parametrize("url", ["http://127.1/", "http://0177.0.0.1/", "http://2130706433/"])
def test_odd_spellings_of_addresses_are_refused(url: str) -> None:
    with pytest.raises(InvalidParameterValue, match="canonical"):
        UrlGuard(resolver=resolver({})).check(url)


def test_hostname_resolving_to_loopback_is_refused() -> None:
    with pytest.raises(BlockedDestination, match="loopback"):
        UrlGuard().check("http://localhost:8080/hook")  # the real resolver


def test_one_private_answer_among_public_ones_is_enough_to_refuse() -> None:
    guard = UrlGuard(resolver=resolver({"mixed.example": ["93.184.216.34", "10.1.2.3"]}))
    with pytest.raises(BlockedDestination, match="private"):
        guard.check("https://mixed.example/hook")


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/", "file:///etc/passwd", "javascript:alert(1)", "https:///path"],
)
def test_only_http_urls_with_a_host_are_accepted(url: str) -> None:
    with pytest.raises(InvalidParameterValue):
        UrlGuard(allow_private=True).check(url)


@pytest.mark.parametrize(
    "url", ["https://user:pw@hooks.example/", "https://token@hooks.example/", "http://:pw@h/"]
)
def test_credentials_in_url_are_refused_even_when_private_is_allowed(url: str) -> None:
    with pytest.raises(InvalidParameterValue, match="credentials"):
        UrlGuard(allow_private=True).check(url)


def test_unresolvable_host_is_a_user_error() -> None:
    with pytest.raises(UnresolvableHost, match="Cannot resolve"):
        UrlGuard(resolver=resolver({})).check("https://nowhere.invalid/")


def test_public_name_is_pinned_to_the_checked_address() -> None:
    guard = UrlGuard(resolver=resolver({"hooks.example": ["93.184.216.34"]}))
    assert guard.check("https://hooks.example:8443/a?b=1") == Destination(
        url="https://93.184.216.34:8443/a?b=1",
        host_header="hooks.example:8443",
        sni_hostname="hooks.example",
    )


def test_public_ipv6_destination_keeps_brackets() -> None:
    guard = UrlGuard(resolver=resolver({"v6.example": ["2606:4700::1111"]}))
    assert guard.check("http://v6.example/x").url == "http://[2606:4700::1111]/x"


def test_public_literal_is_used_as_is() -> None:
    assert UrlGuard().check("https://8.8.8.8/hook") == Destination("https://8.8.8.8/hook")


def test_allow_private_admits_loopback_and_private_names() -> None:
    guard = UrlGuard(allow_private=True)
    assert guard.check("http://127.0.0.1:9/x").url == "http://127.0.0.1:9/x"
    assert guard.check("http://localhost:9/x").url == "http://localhost:9/x"
    assert guard.check("http://[::1]:9/x").url == "http://[::1]:9/x"


def test_metadata_address_stays_refused_when_private_is_allowed() -> None:
    guard = UrlGuard(allow_private=True, resolver=resolver({"meta": ["169.254.169.254"]}))
    with pytest.raises(BlockedDestination, match="metadata"):
        guard.check("http://meta/latest")
    with pytest.raises(BlockedDestination, match="metadata"):
        guard.check("http://169.254.169.254/latest")
