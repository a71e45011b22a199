from __future__ import annotations

import pytest

from babelwire.translate.numbers import localize_number


@pytest.mark.parametrize(
    ("token", "source", "target", "expected"),
    [
        ("175.000", "es", "en", "175,000"),
        ("1.500.000", "es", "en", "1,500,000"),
        ("3,5", "es", "en", "3.5"),
        ("0,75", "ca", "en", "0.75"),
        ("3.5", "en", "es", "3,5"),
        ("175,000", "en", "es", "175.000"),
        ("175,000", "en", "fr", "175\u202f000"),
        ("175.000", "es", "ca", "175.000"),  # same convention
        ("10.30", "es", "en", "10.30"),  # a Spanish time, not a number to convert
        ("2026", "es", "en", "2026"),
        ("1,5", "en", "es", "1,5"),  # not a valid English number form: left alone
        ("12.345,67", "de", "en", "12,345.67"),
    ],
)
def test_localize_number(token: str, source: str, target: str, expected: str) -> None:
    assert localize_number(token, source, target) == expected
