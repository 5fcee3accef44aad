"""Where a webhook may point: the outbound-request rule (security rule 3) in one place.

The host is resolved and *every* address it resolves to must be public. At delivery time the
request then goes to the address that was checked (the URL's host is replaced by it; ``Host``
and TLS SNI keep the name), so a DNS answer that changes between the check and the connection
(rebinding) cannot steer the request inside. Redirects are never followed, so a public receiver
cannot bounce the request to an internal one either.

``--webhooks-allow-private`` lifts the address checks for receivers on a private network or
on this machine; cloud metadata addresses stay refused even then, since no legitimate receiver
lives there and they are the classic SSRF target.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cairn.errors import InvalidParameterValue
from cairn.store.registry.webhooks import split_url

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: ``(host, port) -> addresses``; injectable so tests can play a rebinding DNS server.
Resolver = Callable[[str, int], Sequence[str]]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, DigitalOcean, OpenStack
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
    )
)


class BlockedDestination(InvalidParameterValue):
    """The URL points at an address webhooks may not reach (a policy decision, final)."""


class UnresolvableHost(InvalidParameterValue):
    """The host did not resolve (possibly transient: a delivery retries it)."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Destination:
    """What to connect to: ``url`` may carry a checked IP in place of the name."""

    url: str
    host_header: str | None = None
    sni_hostname: str | None = None


def _unwrap(ip: IPAddress) -> IPAddress:
    """The IPv4 address inside IPv4-mapped, 6to4 and NAT64 forms, which would otherwise pass
    as public while reaching a private host."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return embedded
    return ip


def blocked_reason(ip: IPAddress, *, allow_private: bool = False) -> str | None:
    """Why ``ip`` is off limits, or None when a webhook may connect to it."""
    inner = _unwrap(ip)
    if inner in _METADATA or ip in _METADATA:
        return "a cloud metadata address"
    if allow_private:
        return None
    for reason, hit in (
        ("unspecified", inner.is_unspecified),
        ("loopback", inner.is_loopback),
        ("link-local", inner.is_link_local),
        ("multicast", inner.is_multicast),
        ("private", inner.is_private),
        ("reserved", inner.is_reserved),
        ("not public", not inner.is_global),
    ):
        if hit:
            return f"a {reason} address" if reason != "not public" else "not a public address"
    return None


def _literal(host: str) -> IPAddress | None:
    """The address a numeric host stands for; odd spellings (``127.1``, ``0177.0.0.1``) are
    refused because resolvers and URL parsers disagree about them."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if ":" in host or host.replace(".", "").isdigit():
        raise InvalidParameterValue(f"Webhook URL host {host!r} is not a canonical IP address.")
    return None


class UrlGuard:
    def __init__(self, allow_private: bool = False, resolver: Resolver = system_resolver) -> None:
        self.allow_private = allow_private
        self._resolve = resolver

    def check(self, url: str) -> Destination:
        """Validate ``url`` and say where to connect; raises a 400 error when it is refused."""
        parts = split_url(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        literal = _literal(host)
        if literal is not None:
            self._refuse_if_blocked(host, literal)
            return Destination(url)
        addresses = self._addresses(host, port)
        for address in addresses:
            self._refuse_if_blocked(host, address)
        if self.allow_private:
            return Destination(url)
        pinned = str(addresses[0])
        return Destination(
            url=parts._replace(netloc=_netloc(pinned, parts.port)).geturl(),
            host_header=parts.netloc,
            sni_hostname=host,
        )

    def _addresses(self, host: str, port: int) -> list[IPAddress]:
        try:
            found = [ipaddress.ip_address(a.split("%", 1)[0]) for a in self._resolve(host, port)]
        except (OSError, UnicodeError, ValueError) as exc:
            raise UnresolvableHost(f"Cannot resolve webhook URL host {host!r}: {exc}") from None
        if not found:
            raise UnresolvableHost(f"Webhook URL host {host!r} resolves to no address.")
        return found

    def _refuse_if_blocked(self, host: str, ip: IPAddress) -> None:
        reason = blocked_reason(ip, allow_private=self.allow_private)
        if reason is not None:
            shown = host if host == str(ip) else f"{host!r} ({ip})"
            advice = (
                "" if "metadata" in reason else " (see `cairn server --webhooks-allow-private`)"
            )
            raise BlockedDestination(f"Webhook URL host {shown} is {reason}{advice}.")


def _netloc(address: str, port: int | None) -> str:
    host = f"[{address}]" if ":" in address else address
    return host if port is None else f"{host}:{port}"
