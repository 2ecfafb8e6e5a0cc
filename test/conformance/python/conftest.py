"""Shared helpers of the Python conformance suites. python.test.ts exports the emulators'
endpoints as the environment variables of ../README.md; env() fails a test that lacks one,
naming it, instead of letting an SDK hang on a missing endpoint."""
import os
import uuid

import pytest


def env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"environment variable {name} is not set: run the suite through "
                    "`npx vitest run test/conformance/python.test.ts`, which starts the emulators")
    return value


def unique(prefix: str) -> str:
    """A fresh entity name (queues, containers) so tests never share state."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"
