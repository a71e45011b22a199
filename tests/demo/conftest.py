"""Shared fixtures for the demo-site tests: one running demo server per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from babelwire.demo.server import DemoSite


@pytest.fixture(scope="module")
def demo_site() -> Iterator[DemoSite]:
    with DemoSite() as site:
        yield site
