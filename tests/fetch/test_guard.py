"""The SSRF battery: no fetch reaches an internal address, on the first hop or any redirect.

Names resolve through a StaticResolver (no DNS query leaves the machine) and connections go
through LoopbackOnlyBackend, which records every connect and refuses anything but loopback:
each test asserts the refusal's reason AND that no connect to a blocked address was attempted.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from babelwire.config import FetchSettings
from babelwire.demo.server import Response, SiteServer
from babelwire.fetch.addresses import BLOCKED_NETWORKS, blocked_because, odd_spelling
from babelwire.fetch.client import make_client, post_form
from babelwire.fetch.errors import FetchError
from babelwire.fetch.guard import AddressPolicy, StaticResolver
from tests.fetch.hostile import HostileServer
from tests.fetch.loopback import LoopbackOnlyBackend, fetch_once

ALLOW_V4 = FetchSettings(
    allowed_networks=["127.0.0.1/32"], connect_timeout=1, read_timeout=1, total_timeout=3, max_redirects=3
)

BLOCKED_NAMES: dict[str, list[str]] = {
    "meta.test": ["169.254.169.254"],
    "ecs-meta.test": ["169.254.170.2"],
    "alibaba-meta.test": ["100.100.100.200"],
    "ec2v6.test": ["fd00:ec2::254"],
    "intranet.test": ["10.0.0.1"],
    "corp.test": ["172.16.5.4"],
    "home.test": ["192.168.1.1"],
    "cgnat.test": ["100.64.0.1"],
    "loop2.test": ["127.0.0.2"],
    "zero.test": ["0.0.0.0"],
    "linklocal.test": ["169.254.10.10"],
    "multicast.test": ["224.0.0.1"],
    "broadcast.test": ["255.255.255.255"],
    "benchmark.test": ["198.18.0.1"],
    "docs.test": ["192.0.2.1"],
    "v6local.test": ["::1"],
    "unspecified6.test": ["::"],
    "mapped.test": ["::ffff:127.0.0.1"],
    "mapped-meta.test": ["::ffff:169.254.169.254"],
    "compat.test": ["::10.0.0.1"],
    "sixtofour.test": ["2002:a00:1::1"],
    "nat64.test": ["64:ff9b::a9fe:a9fe"],
    "ula.test": ["fd12:3456::1"],
    "linklocal6.test": ["fe80::1"],
    "sitelocal6.test": ["fec0::1"],
    "multicast6.test": ["ff02::1"],
    "teredo.test": ["2001:0:4136:e378::1"],
    "mixed.test": ["93.184.216.34", "10.0.0.1"],  # ANY blocked address refuses the host
}
RESOLVER = StaticResolver({**BLOCKED_NAMES, "site.test": ["127.0.0.1"]})


class CountingResolver(StaticResolver):
    """Records lookups; answers from a list of successive tables (to play DNS rebinding)."""

    def __init__(self, *answers: dict[str, list[str]]) -> None:
        super().__init__({})
        self.answers = list(answers)
        self.calls: list[str] = []

    async def resolve(self, host: str, port: int) -> list[str]:
        self.calls.append(host)
        table = self.answers[min(len(self.calls), len(self.answers)) - 1]
        return list(table[host])


@pytest.fixture
def backend() -> LoopbackOnlyBackend:
    return LoopbackOnlyBackend()


@pytest.fixture
def site() -> Iterator[SiteServer]:
    with SiteServer() as server:
        server.set_route("/ok", Response(body=b"<p>ok</p>"))
        yield server


def refused(url: str, backend: LoopbackOnlyBackend, settings: FetchSettings = ALLOW_V4) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetch_once(url, settings, backend, RESOLVER)
    return caught.value


def assert_loopback_only(backend: LoopbackOnlyBackend, allowed: set[str] | None = None) -> None:
    assert set(backend.hosts()) <= (allowed or set()), backend.attempts


@pytest.mark.parametrize("host", sorted(BLOCKED_NAMES))
def test_names_resolving_to_internal_addresses_are_refused(host: str, backend: LoopbackOnlyBackend) -> None:
    error = refused(f"http://{host}/feed.xml", backend)
    assert error.reason == "blocked_address"
    assert host in error.message and "fetch.allowed_networks" in error.message
    assert any(str(ipaddress.ip_address(a)) in error.message for a in BLOCKED_NAMES[host])
    assert backend.attempts == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://100.100.100.200/latest/meta-data/",
        "http://[::1]:8080/admin",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[::ffff:10.0.0.1]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[fe80::1%25eth0]/",
        "http://127.0.0.2:8000/",
        "http://0.0.0.0:8000/",
        "https://192.168.0.1/",
    ],
)
def test_internal_ip_urls_are_refused(url: str, backend: LoopbackOnlyBackend) -> None:
    error = refused(url, backend)
    assert error.reason == "blocked_address"
    assert "fetch.allowed_networks" in error.message
    assert backend.attempts == []


@pytest.mark.parametrize(
    "url",
    [
        "http://2130706433/",
        "http://0177.0.0.1/",
        "http://0x7f.1/",
        "http://0x7f000001/",
        "http://127.1/",
        "http://127.0.0.01/",
        "http://017700000001/",
        "http://10.1/",
        "http://1.2.3.4./",
    ],
)
def test_odd_ip_spellings_are_refused_before_resolution(url: str, backend: LoopbackOnlyBackend) -> None:
    resolver = CountingResolver({})
    with pytest.raises(FetchError) as caught:
        fetch_once(url, ALLOW_V4, backend, resolver)
    assert caught.value.reason == "odd_address"
    assert "dotted quad" in caught.value.message
    assert resolver.calls == [] and backend.attempts == []


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1:6379/_INFO", "http://admin:pw@127.0.0.1/"],
)
def test_other_schemes_and_credentials_are_refused(url: str, backend: LoopbackOnlyBackend) -> None:
    assert refused(url, backend).reason == "invalid_url"
    assert backend.attempts == []


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://10.0.0.1/", "blocked_address"),
        ("http://169.254.169.254/latest/meta-data/", "blocked_address"),
        ("http://[::1]:6379/", "blocked_address"),
        ("http://[fd00:ec2::254]/", "blocked_address"),
        ("http://meta.test/latest/", "blocked_address"),
        ("http://mapped.test/", "blocked_address"),
        ("http://2130706433/", "odd_address"),
        ("http://0x7f.1/", "odd_address"),
        ("file:///etc/passwd", "invalid_url"),
    ],
)
def test_redirects_to_internal_targets_are_refused(
    site: SiteServer, backend: LoopbackOnlyBackend, location: str, reason: str
) -> None:
    site.set_route("/feed", Response(status=302, headers={"Location": location}))
    error = refused(site.url("/feed"), backend)
    assert error.reason == reason
    assert error.url == site.url("/feed") and "redirected to" in error.message
    assert backend.attempts == [("127.0.0.1", site.port)]


def test_redirect_to_loopback_is_refused_when_only_another_address_is_allowed(
    site: SiteServer, backend: LoopbackOnlyBackend
) -> None:
    """The feed lives on [::1] (allowed); its redirect to 127.0.0.1 (not allowed) must not be followed,
    and the 127.0.0.1 server, really listening, must see no request."""
    site.set_route("/admin", Response(body=b"secret"))
    settings = ALLOW_V4.model_copy(update={"allowed_networks": ["::1/128"]})
    with HostileServer(host="::1") as feed_host:
        feed_host.redirect("/feed", site.url("/admin"))
        with pytest.raises(FetchError) as caught:
            fetch_once(feed_host.url("/feed"), settings, backend)
    assert caught.value.reason == "blocked_address" and "127.0.0.1" in caught.value.message
    assert backend.attempts == [("::1", feed_host.port)]
    assert site.requests == []


def test_allowed_host_connects_to_the_checked_address_with_its_own_host_header(
    site: SiteServer, backend: LoopbackOnlyBackend
) -> None:
    result = fetch_once(f"http://site.test:{site.port}/ok", ALLOW_V4, backend, RESOLVER)
    assert result.body == b"<p>ok</p>"
    assert backend.attempts == [("127.0.0.1", site.port)]
    assert site.requests[-1].headers["Host"] == f"site.test:{site.port}"


def test_no_rebinding_window_between_check_and_connect(
    site: SiteServer, backend: LoopbackOnlyBackend
) -> None:
    """One lookup per connection, and the socket goes to the address that lookup returned: a
    name that re-resolves to 10.0.0.1 afterwards cannot redirect the connect."""
    resolver = CountingResolver({"site.test": ["127.0.0.1"]}, {"site.test": ["10.0.0.1"]})
    fetch_once(f"http://site.test:{site.port}/ok", ALLOW_V4, backend, resolver)
    assert resolver.calls == ["site.test"]
    with pytest.raises(FetchError) as caught:
        fetch_once(f"http://site.test:{site.port}/ok", ALLOW_V4, backend, resolver)
    assert caught.value.reason == "blocked_address" and "10.0.0.1" in caught.value.message
    assert backend.attempts == [("127.0.0.1", site.port)]


def test_every_request_made_with_the_client_is_guarded(backend: LoopbackOnlyBackend) -> None:
    """Not only `fetch`: a plain client.get or a WebSub post goes through the same checks."""

    async def attempts() -> list[str]:
        reasons = []
        async with make_client(ALLOW_V4, resolver=RESOLVER, network_backend=backend) as client:
            for url in ("http://10.0.0.1/", "http://meta.test/", "http://2130706433/"):
                with pytest.raises(FetchError) as caught:
                    await client.get(url)
                reasons.append(caught.value.reason)
            with pytest.raises(FetchError) as caught:
                await post_form(client, "http://intranet.test/hub", {"hub.mode": "subscribe"}, ALLOW_V4)
            reasons.append(caught.value.reason)
        return reasons

    assert asyncio.run(attempts()) == ["blocked_address", "blocked_address", "odd_address", "blocked_address"]
    assert backend.attempts == []


def test_safety_net_records_and_refuses_when_the_guard_is_disabled(backend: LoopbackOnlyBackend) -> None:
    """With everything allow-listed the guard lets 10.0.0.1 through; the test backend must then
    refuse the connect and record it, so a broken guard shows up as a failing test, not traffic."""
    open_everything = ALLOW_V4.model_copy(update={"allowed_networks": ["0.0.0.0/0", "::/0"]})
    with pytest.raises(FetchError) as caught:
        fetch_once("http://intranet.test:8080/", open_everything, backend, RESOLVER)
    assert caught.value.reason == "connect" and "loopback only" in caught.value.message
    assert backend.attempts == [("10.0.0.1", 8080)]


def test_metadata_addresses_need_an_exact_allow_list_entry() -> None:
    wide = AddressPolicy.from_settings(FetchSettings(allowed_networks=["169.254.0.0/16", "fd00::/8"]))
    assert wide.check("dev.test", ["169.254.10.10"]) == ["169.254.10.10"]
    for metadata in ("169.254.169.254", "fd00:ec2::254"):
        with pytest.raises(FetchError) as caught:
            wide.check("meta.test", [metadata])
        assert "cloud metadata" in caught.value.message
    exact = AddressPolicy.from_settings(FetchSettings(allowed_networks=["169.254.169.254"]))
    assert exact.check("meta.test", ["169.254.169.254"]) == ["169.254.169.254"]


def test_a_bad_allow_list_entry_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"fetch.allowed_networks: 'intranet' is not an IP address"):
        make_client(FetchSettings(allowed_networks=["intranet"]))


def test_public_addresses_pass() -> None:
    policy = AddressPolicy()
    public = ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "::ffff:93.184.216.34", "8.8.8.8"]
    assert policy.check("example.com", public) == [str(ipaddress.ip_address(a)) for a in public]
    assert not odd_spelling("example.com") and not odd_spelling("93.184.216.34")
    assert not odd_spelling("::1") and not odd_spelling("1e100.net")


IPV4_BLOCKED = [net for net, _ in BLOCKED_NETWORKS if isinstance(net, ipaddress.IPv4Network)]


@given(
    st.sampled_from(IPV4_BLOCKED).flatmap(
        lambda net: st.integers(0, net.num_addresses - 1).map(lambda offset: net.network_address + offset)
    )
)
def test_every_ipv6_form_of_a_blocked_ipv4_is_blocked(address: ipaddress.IPv4Address) -> None:
    value = int(address)
    forms = [
        ipaddress.IPv6Address((0xFFFF << 32) | value),  # IPv4-mapped
        ipaddress.IPv6Address((0x2002 << 112) | (value << 80)),  # 6to4
        ipaddress.IPv6Address((0x64FF9B << 96) | value),  # NAT64
    ]
    if value > 1:
        forms.append(ipaddress.IPv6Address(value))  # IPv4-compatible
    assert blocked_because(address)
    for form in forms:
        assert blocked_because(form), form


def test_httpx_url_forms_do_not_slip_through() -> None:
    """Spellings httpx itself accepts and passes down as host names still meet the odd check."""
    for url in ("http://2130706433/", "http://0x7f.1/", "http://127.1/"):
        assert odd_spelling(httpx.URL(url).host)
