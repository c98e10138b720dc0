"""A domain that exists only for the job-registry tests (named by BASTION_EXTRA_DOMAINS)."""

from __future__ import annotations

from bastion.core.domains import Domain, Job

DOMAIN = Domain(
    name="sample", package="tests.core",
    jobs=(Job("sample-count", "tests.core.sample_domain:count", every=0.05),
          Job("sample-broken", "tests.core.sample_domain:broken", every="session_hours"),
          Job("sample-off", "tests.core.sample_domain:count", every="event_poll_seconds")),
    extra={"order": 99},
)

calls: list[str] = []


def count(sessions, settings) -> int:
    calls.append("count")
    return len(calls)


def broken(sessions, settings) -> None:
    calls.append("broken")
    raise RuntimeError("this job always fails")
