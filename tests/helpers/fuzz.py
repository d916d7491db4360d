"""The one hypothesis profile of the parser fuzz tests: deterministic, no example database, no deadline.

Usage::

    from helpers.fuzz import fuzz_settings

    @fuzz_settings(500)
    @given(...)
    def test_a_parser_never_crashes(...): ...

Derandomised so a run in CI sees the same cases as on a developer's machine;
without a deadline because the machines are shared and slow at times; the
fixture health check is off because the tests reuse their fixture's folder
for every example on purpose (each example starts by clearing what it needs).
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings


def fuzz_settings(max_examples: int) -> settings:
    """The fuzz profile with ``max_examples`` cases."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
