"""`core.aside`: work done in a forked copy of the process, sent back through a pipe in order;
the copy is not held up while the caller works, may not use the database, and a failure in it
is an error here that does not quote its data."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

import pytest

from opennrm.cases.models import Case
from opennrm.core.aside import Aside, AsideError


def test_what_the_copy_sends_arrives_in_order() -> None:
    def produce(send: Callable[[Any], None]) -> None:
        for number in range(1, 201):
            send(("round", number))

    with Aside(produce) as aside:
        got = [message for arrived in aside for message in arrived]
    assert got == [("round", number) for number in range(1, 201)]


def test_the_copy_goes_on_while_the_caller_is_busy() -> None:
    """Far more than a pipe holds (64 KiB) is sent while the caller works on the first
    message: the reader takes it as it comes, so the copy finishes without waiting."""
    blob = os.urandom(100_000)

    def produce(send: Callable[[Any], None]) -> None:
        for _ in range(50):
            send(blob)
        send(time.monotonic())  # when the copy had sent everything (the same clock here)

    with Aside(produce) as aside:
        arrivals = iter(aside)
        got = list(next(arrivals))
        time.sleep(1.0)  # the caller writes its first round
        resumed = time.monotonic()
        got.extend(message for arrived in arrivals for message in arrived)
    assert got[:-1] == [blob] * 50
    assert got[-1] < resumed  # the copy had sent everything while the caller was busy


def test_a_failure_in_the_copy_is_an_error_here_without_its_message() -> None:
    def produce(send: Callable[[Any], None]) -> None:
        send("first")
        raise ValueError("Оксана Бондарчук")  # a message that quotes the data

    got: list[Any] = []

    def consume() -> None:
        with Aside(produce) as aside:
            for arrived in aside:
                got.extend(arrived)

    with pytest.raises(AsideError) as caught:
        consume()
    assert got in ([], ["first"])  # raised as soon as it arrives, whatever came before
    assert "ValueError" in str(caught.value)
    assert "Оксана" not in str(caught.value)


def test_a_copy_that_dies_is_an_error() -> None:
    def produce(send: Callable[[Any], None]) -> None:
        send("first")
        os._exit(3)

    with (
        pytest.raises(AsideError, match="ended before it sent everything"),
        Aside(produce) as aside,
    ):
        for _arrived in aside:
            pass


@pytest.mark.django_db
def test_the_copy_may_not_use_the_database() -> None:
    Case.objects.count()  # the connection is open here, and copied into the child

    def produce(send: Callable[[Any], None]) -> None:
        send(Case.objects.count())

    with pytest.raises(AsideError, match="AsideError"), Aside(produce) as aside:
        for _arrived in aside:
            pass
    assert Case.objects.count() == 0  # the parent's connection works as before


def test_leaving_early_stops_the_copy() -> None:
    def produce(send: Callable[[Any], None]) -> None:
        send(os.getpid())
        while True:
            time.sleep(0.05)

    aside = Aside(produce)
    (pid,) = next(iter(aside))
    aside.close()  # the caller stopped (an error while writing, say)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


ORPHAN = """
import os, signal, sys, time
import django
django.setup()
from opennrm.core.aside import Aside

def produce(send):
    send(os.getpid())
    while True:  # at work, sending, when its parent is killed
        send(b"x" * 10_000)
        time.sleep(0.01)

aside = Aside(produce)
(pid,) = next(iter(aside))[:1]
print(pid, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return any(line.split()[:2] == ["State:", "Z"] for line in status)  # a zombie
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc to see the process")
def test_the_copy_dies_with_its_parent(tmp_path: Any) -> None:
    """A command killed outright (the OOM killer, kill -9) takes its copy with it: an orphan
    would hold the command's database session, its locks and the data."""
    import signal
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    out = tmp_path / "out"
    with out.open("w") as stdout:  # a file: an orphan holding a pipe would keep run() waiting
        done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
            [sys.executable, "-c", ORPHAN], stdout=stdout, stderr=stdout, env=env, timeout=60
        )
    text = out.read_text()
    assert done.returncode == -9, text[-2000:]
    pid = int(text.split()[0])
    deadline = time.monotonic() + 10
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert _gone(pid)
    finally:
        if not _gone(pid):
            os.kill(pid, signal.SIGKILL)
