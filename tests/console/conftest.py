"""The console's team features reuse the critical-case desk (four desk users, a webhook recorder, a manual clock)."""

from tests.safety.conftest import desk  # noqa: F401  (re-exported fixture)
