"""Shared helpers of the Python conformance suites. python.test.ts exports the emulators'
endpoints as the environment variables of ../README.md; env() fails a test that lacks one,
naming it, instead of letting an SDK hang on a missing endpoint."""
import os
import uuid
from concurrent.futures import ThreadPoolExecutor

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



class Handlers:
    """Service Bus senders and receivers of one module, named, opened together in threads before
    the first test and closed together after the last: the pure-Python client spends ~0.5 s
    opening and ~0.5 s closing every handler (its 50 ms frame loop and keep-alive thread), which
    would dominate a suite that opened them one after another."""

    def __init__(self, client, factories):
        self.client = client
        self.open = {}
        with ThreadPoolExecutor(max_workers=8) as pool:
            pairs = list(pool.map(lambda kv: (kv[0], self._enter(kv[1](client))), factories.items()))
        self.open.update(pairs)

    @staticmethod
    def _enter(handler):
        handler.__enter__()
        return handler

    def __getitem__(self, name):
        return self.open[name]

    def close(self):
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda handler: handler.__exit__(None, None, None), self.open.values()))
        self.open.clear()
