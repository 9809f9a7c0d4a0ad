"""The `opennrm` command: `demo`, `serve`, `dedupe`, the operator commands and every Django
command.

`--data-dir DIR` (or `OPENNRM_DATA_DIR`) selects the directory that holds the SQLite database,
the key ring and the secret key; it is taken out of the arguments before Django sees them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

DEMO_DIR_DEFAULT = "opennrm-demo-data"


def _take_data_dir(argv: list[str]) -> list[str]:
    """Remove `--data-dir DIR` / `--data-dir=DIR` from argv and export it as OPENNRM_DATA_DIR."""
    rest: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--data-dir":
            value = next(args, None)
            if value is None:
                sys.exit("opennrm: --data-dir needs a directory")
            os.environ["OPENNRM_DATA_DIR"] = str(Path(value).resolve())
        elif arg.startswith("--data-dir="):
            os.environ["OPENNRM_DATA_DIR"] = str(Path(arg.split("=", 1)[1]).resolve())
        else:
            rest.append(arg)
    return rest


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opennrm.settings")
    import django

    django.setup()


def demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="opennrm demo", description="Run the demo on SQLite.")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--no-serve",
        action="store_true",
        help="prepare the database and exit (for scripts and tests)",
    )
    args = parser.parse_args(argv)
    data_dir = Path(
        os.environ.setdefault("OPENNRM_DATA_DIR", str(Path(DEMO_DIR_DEFAULT).resolve()))
    )
    os.environ["OPENNRM_DEMO"] = "true"
    # Links in the demo's e-mails open the demo (the worker inherits this).
    os.environ.setdefault("OPENNRM_BASE_URL", f"http://127.0.0.1:{args.port}")
    # The demo's logins work with the password alone unless asked otherwise
    # (OPENNRM_DEMO_SKIP_SECOND_FACTOR=false tries the real login: second factor and all).
    os.environ.setdefault("OPENNRM_DEMO_SKIP_SECOND_FACTOR", "true")
    os.environ.pop("DATABASE_URL", None)
    from opennrm.core.files import private_dir

    private_dir(data_dir)

    from opennrm.vault.keyring import generate_keyring, write_keyring_file

    keyring_path = data_dir / "keyring.json"
    if "OPENNRM_KEYRING" not in os.environ and "OPENNRM_KEYRING_FILE" not in os.environ:
        if not keyring_path.exists():
            write_keyring_file(keyring_path, generate_keyring())
            print(f"Generated the demo's encryption keys in {keyring_path}.")
            print("  Keep this file: without it the demo's personal data cannot be read.")
        else:
            print(f"Using the demo's encryption keys in {keyring_path}.")
    _setup_django()

    from django.core.management import call_command

    from opennrm.demo.loader import DEMO_PASSWORD, demo_logins, load_demo

    call_command("migrate", interactive=False, verbosity=0)
    from django.conf import settings

    from opennrm.core.files import restrict_sqlite_files

    restrict_sqlite_files(str(settings.DATABASES["default"]["NAME"]))
    created = load_demo(progress=lambda msg: print(f"  {msg}", flush=True))
    if created:
        call_command("optimize_db", verbosity=0)
    print("Loaded the synthetic demo data." if created else "Demo data already present: kept.")
    from opennrm.notices.producer import produce

    notices = produce()  # the worker does it every few minutes; once now for the first page
    print(f"Notifications made now: {sum(notices.made.values())}.")
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        print(
            f"E-mails (notifications) are written to files in {settings.EMAIL_FILE_PATH}"
            " (the demo sends none; OPENNRM_EMAIL_HOST names a real mail server)."
        )
    print()
    print(f"OpenNRM demo: http://127.0.0.1:{args.port}/  (data in {data_dir})")
    print(f"Every demo login uses the password: {DEMO_PASSWORD}")
    if settings.OPENNRM_DEMO_SKIP_SECOND_FACTOR:
        print(
            "  Demo only (OPENNRM_DEMO_SKIP_SECOND_FACTOR): no second factor and no password"
            " change at the first login; production asks for both (`opennrm serve` refuses"
            " this setting)."
        )
    else:
        print(
            "  Each login asks for a new password at first, then sets up the second factor"
            " (an authenticator app; passkeys at http://localhost:PORT/)."
        )
    for agency, rows in demo_logins():
        print(f"  {agency}")
        for username, role in rows:
            print(f"    {username:<28} {role}")
    if args.no_serve:
        return 0
    if not _port_free(args.port):
        # Said before the worker starts: runserver would end the process on a port in use
        # (os._exit) and leave the worker running on its own.
        print(f"Port {args.port} is in use: choose another with --port.", file=sys.stderr)
        return 1
    # Ctrl-C (SIGINT) stops the demo even when it was started with SIGINT ignored, as every
    # background job of a non-interactive shell is (a script, CI): the default is put back.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    print("\nPress Ctrl-C to stop.", flush=True)
    # The background worker (linkage runs) beside the web server, stopped with it.
    worker = subprocess.Popen(
        [sys.executable, "-m", "opennrm", "db_worker", "--interval", "1"],
        env={**os.environ},
    )
    try:
        # runserver turns Ctrl-C into SystemExit(0); a failure to bind exits the process.
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            call_command(
                "runserver", f"127.0.0.1:{args.port}", use_reloader=False, skip_checks=False
            )
    finally:
        # The worker ends the task it is running, then stops; one still busy after 10 s is
        # killed (its transaction rolls back) rather than left running on its own, holding the
        # demo's output open.
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
            print("\nThe worker was stopped in the middle of a task.", flush=True)
    print("\nOpenNRM demo stopped.", flush=True)
    return 0


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="opennrm serve", description="Production server (gunicorn)."
    )
    parser.add_argument("--bind", default=os.environ.get("OPENNRM_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("OPENNRM_WORKERS", "3")))
    args = parser.parse_args(argv)
    _setup_django()
    from django.core.management import call_command

    # Refuses to start on missing keys, debug or demo mode (system checks, deploy level).
    call_command("check", deploy=True, fail_level="ERROR")
    call_command("collectstatic", interactive=False, verbosity=0)
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "--bind",
        args.bind,
        "--workers",
        str(args.workers),
        # HTCDS imports of a thousand records take seconds; the default 30 s is too tight.
        "--timeout",
        os.environ.get("OPENNRM_WORKER_TIMEOUT", "120"),
        "--access-logfile",
        "-",
        # The path only (%(U)s), never the query string: no searched name reaches a log.
        "--access-logformat",
        '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms',
        "opennrm.wsgi:application",
    ]
    run()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = _take_data_dir(list(sys.argv[1:] if argv is None else argv))
    command = argv[0] if argv else "help"
    if command == "demo":
        return demo(argv[1:])
    if command == "serve":
        return serve(argv[1:])
    if command == "dedupe":
        # No database and no keys: a register file in, persons out.
        from opennrm.linkage.filemode import main as dedupe

        return dedupe(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opennrm.settings")
    if command not in ("runserver", "testserver"):
        # System work (the worker, operator commands): national row-level security scope on
        # PostgreSQL (tenancy/rls.py). The servers set a scope per request instead.
        os.environ.setdefault("OPENNRM_SYSTEM_SCOPE", "1")
    if command.replace("-", "_") in ("migrate", "backup", "restore"):
        # The owner's work: no SET ROLE to OPENNRM_DB_APP_ROLE (tenancy/rls.py; pg_dump and
        # pg_restore need the owner, the application role reads through its policies).
        os.environ.setdefault("OPENNRM_DB_AS_OWNER", "1")
    from django.core.management import execute_from_command_line

    if argv:
        argv[0] = argv[0].replace("-", "_")
    execute_from_command_line(["opennrm", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
