"""Which IP addresses a fetch may never reach, and which host spellings are tricks.

Why by hand: `ipaddress.is_global`/`is_private` change between Python releases and miss
multicast, site-local and the IPv6 forms that embed an IPv4 address (mapped, compatible,
6to4, NAT64); an SSRF guard needs one explicit, reviewable list (IANA special-purpose
registries) that does not move under it.
"""

from __future__ import annotations

import ipaddress
import re
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Cloud instance-metadata endpoints (AWS/GCP/Azure/OCI, AWS IPv6, ECS tasks, Alibaba, Oracle legacy).
# They hand out credentials, so only an allow-list entry naming the exact address opens them.
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)

_BLOCKED: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "an unspecified ('this network') address"),
    ("10.0.0.0/8", "a private address"),
    ("100.64.0.0/10", "a carrier-grade NAT (shared) address"),
    ("127.0.0.0/8", "a loopback address"),
    ("169.254.0.0/16", "a link-local address"),
    ("172.16.0.0/12", "a private address"),
    ("192.0.0.0/24", "an IETF protocol address"),
    ("192.0.2.0/24", "a documentation address"),
    ("192.88.99.0/24", "a 6to4 relay address"),
    ("192.168.0.0/16", "a private address"),
    ("198.18.0.0/15", "a benchmarking address"),
    ("198.51.100.0/24", "a documentation address"),
    ("203.0.113.0/24", "a documentation address"),
    ("224.0.0.0/4", "a multicast address"),
    ("240.0.0.0/4", "a reserved (or broadcast) address"),
    ("::/128", "an unspecified address"),
    ("::1/128", "a loopback address"),
    ("64:ff9b:1::/48", "a local-use NAT64 address"),
    ("100::/64", "a discard-only address"),
    ("2001::/23", "an IETF protocol address (Teredo and others)"),
    ("2001:db8::/32", "a documentation address"),
    ("3fff::/20", "a documentation address"),
    ("5f00::/16", "a segment-routing address"),
    ("fc00::/7", "a unique-local (private) address"),
    ("fe80::/10", "a link-local address"),
    ("fec0::/10", "a site-local address"),
    ("ff00::/8", "a multicast address"),
)
BLOCKED_NETWORKS: tuple[tuple[IPNetwork, str], ...] = tuple(
    (ipaddress.ip_network(net), why) for net, why in _BLOCKED
)

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_COMPATIBLE = ipaddress.ip_network("::/96")
# A host made only of numbers, hex numbers and dots: something a C resolver may read as an IPv4.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+))*\.?$", re.IGNORECASE)


def parse_ip(text: str) -> IPAddress | None:
    """The address if `text` is an IP literal (brackets and an IPv6 zone allowed), else None."""
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv4-mapped, -compatible, 6to4 or NAT64 IPv6 address."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def blocked_because(address: IPAddress) -> str | None:
    """Why `address` is internal ("a loopback address", ...), or None for a public address."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    inner = embedded_ipv4(address)
    if inner is not None:
        why = blocked_because(inner)
        return f"an IPv6 form of {inner} ({why})" if why else None
    for network, why in BLOCKED_NETWORKS:
        if address.version == network.version and address in network:
            return why
    return None


def odd_spelling(host: str) -> bool:
    """True for IPv4 addresses written any way but canonical dotted-quad: 2130706433, 0177.0.0.1,
    0x7f.1, 127.1, 1.2.3.4. — resolvers accept them, URL checks often miss them."""
    host = host.strip()
    if not host or host.startswith("["):
        return False
    try:
        ipaddress.IPv4Address(host)
        return False
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        return True
    try:
        socket.inet_aton(host)
    except OSError:
        return False
    return True
