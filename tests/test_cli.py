"""The `opennrm` command as an operator runs it: real processes on a scratch data directory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.xdist_group("cli")


def opennrm(
    data_dir: Path, *args: str, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENNRM_", "DJANGO_")) and k != "DATABASE_URL"
    }
    environment.update(env or {})
    result = subprocess.run(  # noqa: S603 (our own command)
        [sys.executable, "-m", "opennrm", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"exit {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("opennrm-data")
    opennrm(path, "generate-keyring", str(path / "keyring.json"))
    (path / "secret_key").write_text("operator-test-secret-key-" + "k" * 30)
    opennrm(path, "migrate", "--verbosity", "0")
    return path


def test_operator_creates_agency_user_token_and_verifies_the_audit(data_dir: Path) -> None:
    out = opennrm(
        data_dir, "add-agency", "--name", "NGO Test", "--kind", "NGO", "--oblast", "UA-63"
    ).stdout
    assert "Agency created: NGO Test (NGO)" in out
    out = opennrm(
        data_dir,
        "add-user",
        "--username",
        "test.cw",
        "--agency",
        "NGO Test",
        "--role",
        "caseworker",
        env={"OPENNRM_PASSWORD": "a-long-operator-password"},
    ).stdout
    assert "User test.cw: caseworker at NGO Test" in out
    token = opennrm(data_dir, "issue-token", "--username", "test.cw").stdout.strip()
    assert token.startswith("onrm_")
    assert len(token) > 40
    verified = opennrm(data_dir, "verify-audit")
    assert verified.returncode == 0
    assert "audit chain intact: 4 events verified" in verified.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add-agency", "--name", "X", "--kind", "Bogus"], "--kind: "),
        (["add-agency", "--name", "Y", "--kind", "NGO", "--oblast", "UA-99"], "--oblast: "),
        (
            ["add-user", "--username", "u", "--agency", "Nowhere", "--role", "caseworker"],
            "--agency: no agency named 'Nowhere'",
        ),
        (["issue-token", "--username", "ghost"], "--username: no active user 'ghost'"),
    ],
)
def test_operator_errors_name_the_option(data_dir: Path, args: list[str], message: str) -> None:
    result = opennrm(data_dir, *args, check=False)
    assert result.returncode != 0
    assert message in result.stderr


def test_weak_password_is_refused(data_dir: Path) -> None:
    opennrm(data_dir, "add-agency", "--name", "NGO Weak", "--kind", "NGO", check=False)
    result = opennrm(
        data_dir,
        "add-user",
        "--username",
        "weak",
        "--agency",
        "NGO Weak",
        "--role",
        "caseworker",
        env={"OPENNRM_PASSWORD": "short"},
        check=False,
    )
    assert result.returncode != 0
    assert "12" in result.stderr  # the minimum length, in the operator's language


def test_serve_refuses_without_keys(tmp_path: Path) -> None:
    result = opennrm(tmp_path, "serve", check=False)
    assert result.returncode != 0
    assert "opennrm.E001" in result.stderr
    assert "opennrm.E002" in result.stderr


def test_serve_refuses_debug(data_dir: Path) -> None:
    result = opennrm(data_dir, "serve", env={"OPENNRM_DEBUG": "true"}, check=False)
    assert result.returncode != 0
    assert "opennrm.E003" in result.stderr


def test_serve_refuses_the_demos_second_factor_shortcut(data_dir: Path) -> None:
    result = opennrm(
        data_dir,
        "serve",
        env={
            "OPENNRM_SECRET_KEY": "production-like-" + "q7Zr" * 12,
            "OPENNRM_DEMO_SKIP_SECOND_FACTOR": "true",
        },
        check=False,
    )
    assert result.returncode != 0
    assert "opennrm.E005" in result.stderr


def test_production_language_cookie_is_secure_and_host_bound(data_dir: Path) -> None:
    out = opennrm(
        data_dir,
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.LANGUAGE_COOKIE_NAME,"
        " s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, s.CSRF_USE_SESSIONS)",
        env={"OPENNRM_SECRET_KEY": "production-like-" + "q7Zr" * 12},
    ).stdout
    assert out.strip().splitlines()[-1].split() == [
        "__Host-opennrm-language",
        "True",
        "True",
        "True",
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_demo_starts_prints_logins_serves_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    tmp_path = tmp_path / "demo-data"  # made by the demo (pytest's own directory is 0700)
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENNRM_", "DJANGO_")) and k != "DATABASE_URL"
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "opennrm", "demo", "--port", str(port), "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 240
        status = None
        while time.monotonic() < deadline and status is None:
            if process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/accounts/login/", timeout=2
                ) as response:
                    status = response.status
            except OSError:
                time.sleep(0.5)
        assert status == 200
        # A name in a query string never reaches the development server's request log.
        query = urllib.parse.urlencode({"q": "Шевченко"})
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/accounts/login/?{query}", timeout=5
        ) as response:
            assert response.status == 200
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=120)  # the worker ends its task first
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert f"http://127.0.0.1:{port}/" in output
    assert "Generated the demo's encryption keys" in output
    # The demo's shortcut past the second factor is said where the logins are printed.
    assert "Demo only (OPENNRM_DEMO_SKIP_SECOND_FACTOR)" in output
    assert "OpenNRM demo stopped." in output
    assert (tmp_path / "keyring.json").exists()
    assert oct((tmp_path / "keyring.json").stat().st_mode & 0o777) == "0o600"
    assert oct(tmp_path.stat().st_mode & 0o777) == "0o700"
    assert oct((tmp_path / "opennrm.sqlite3").stat().st_mode & 0o777) == "0o600"
    assert '"GET /accounts/login/ HTTP/1.1" 200' in output
    assert "Шевченко" not in output
    assert query not in output
    assert "/accounts/login/?" not in output
    # The notification e-mails the demo wrote link to the demo on its own port.
    mails = [p.read_text(encoding="utf-8") for p in (tmp_path / "mail").iterdir()]
    assert mails
    assert all(f"http://127.0.0.1:{port}/" in mail for mail in mails)
    # Run again: the data and the keys are kept.
    again = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "opennrm", "demo", "--no-serve", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert "Using the demo's encryption keys" in again.stdout
    assert "Demo data already present: kept." in again.stdout


def test_serve_runs_gunicorn_and_logs_no_query_string(data_dir: Path) -> None:
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENNRM_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update({"OPENNRM_SSL_REDIRECT": "false", "OPENNRM_WORKERS": "1"})
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "opennrm",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--data-dir",
            str(data_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 120
        answered = None
        while time.monotonic() < deadline and answered is None and process.poll() is None:
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/v1/cases/?q=Shevchenko", timeout=2
                )
            except urllib.error.HTTPError as exc:
                answered = exc.code
            except OSError:
                time.sleep(0.5)
        assert answered == 401
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=120)  # the worker ends its task first
    finally:
        if process.poll() is None:
            process.kill()
    assert '"GET /api/v1/cases/ HTTP/1.1" 401' in output
    assert "Shevchenko" not in output


def test_check_deploy_is_clean_with_production_settings(data_dir: Path) -> None:
    result = opennrm(
        data_dir,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "OPENNRM_SECRET_KEY": "production-like-" + "q7Zr" * 12,
            "OPENNRM_ALLOWED_HOSTS": "nrm.example.org",
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_optimize_db_refreshes_statistics(data_dir: Path) -> None:
    out = opennrm(data_dir, "optimize-db").stdout
    assert "planner statistics refreshed (sqlite)" in out


def test_the_demo_checks_its_port_before_it_starts_the_worker() -> None:
    from opennrm.cli import _port_free

    port = _free_port()
    assert _port_free(port)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        assert not _port_free(port)
