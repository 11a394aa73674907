"""The PDF report: the HTML report printed by headless Chromium.

Chromium is found on PATH (`chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable`)
unless `GUILDBOARD_CHROMIUM` names a binary. The page is written to a private temporary folder,
printed with a profile of its own there (nothing of the person's browser is read or changed), and
the folder is removed. The page loads nothing from the network (its Content-Security-Policy
forbids it), so printing works offline; the A4 landscape layout comes from the page's print CSS.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from reports import html_report
from reports.formats import RenderOptions, ReportError
from standards.report import Report

#: The environment variable naming a Chromium or Chrome binary, before PATH is searched.
CHROMIUM_ENV = "GUILDBOARD_CHROMIUM"
#: Binaries looked for on PATH, in this order.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Seconds Chromium may take to print before it is stopped.
TIMEOUT_S = 120
#: Milliseconds of page time Chromium lets pass (scripts, chart drawing) before it prints.
VIRTUAL_TIME_MS = 20_000
#: The window the page is laid out in before printing: wide enough that charts are drawn at the
#: print width (`html_report.PRINT_WIDTH`), as they are on the printed page.
WINDOW = "1280,900"
#: Characters of Chromium's error output quoted when it fails.
STDERR_TAIL = 1500
MISSING = (
    "PDF needs Chromium: install the Debian package `chromium` (apt-get install chromium), "
    f"or set {CHROMIUM_ENV} to a Chromium or Chrome binary"
)


def render(report: Report, options: RenderOptions) -> bytes:
    """The HTML report printed to PDF (A4 landscape)."""
    return print_html(html_report.render(report, options))


def chromium_available() -> bool:
    """True when a PDF can be printed here (the dashboard offers its button only then)."""
    try:
        find_chromium()
    except ReportError:
        return False
    return True


def find_chromium() -> str:
    """The Chromium binary to print with; `ReportError` naming the package when there is none."""
    named = os.environ.get(CHROMIUM_ENV, "").strip()
    if named:
        found = shutil.which(named)
        if found is None:
            raise ReportError(f"{CHROMIUM_ENV}={named!r} is not an executable file; {MISSING}")
        return found
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found is not None:
            return found
    raise ReportError(MISSING)


def print_html(page: bytes, *, chromium: str | None = None, timeout_s: float = TIMEOUT_S) -> bytes:
    """`page` (a self-contained HTML document) printed by headless Chromium; the PDF's bytes."""
    binary = chromium or find_chromium()
    with tempfile.TemporaryDirectory(prefix="guildboard-pdf-") as work:
        folder = Path(work)
        source = folder / "report.html"
        source.write_bytes(page)
        out = folder / "report.pdf"
        command = [
            binary,
            "--headless",
            "--disable-gpu",
            "--no-sandbox",  # often run as root in containers and CI, where the sandbox cannot start
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            f"--virtual-time-budget={VIRTUAL_TIME_MS}",
            f"--window-size={WINDOW}",
            f"--user-data-dir={folder / 'profile'}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--print-to-pdf={out}",
            source.as_uri(),
        ]
        stderr = _run(command, timeout_s)
        pdf = out.read_bytes() if out.exists() else b""
        if not pdf.startswith(b"%PDF"):
            raise ReportError(f"Chromium ({binary}) did not print the report: {_tail(stderr)}")
        return pdf


def _run(command: list[str], timeout_s: float) -> str:
    """Run Chromium in a process group of its own (it starts helpers); its stderr. On a timeout
    or a failure the group is stopped and `ReportError` says what happened."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
    except OSError as err:
        raise ReportError(f"Chromium ({command[0]}) could not be started: {err.strerror or err}") from None
    try:
        _, raw = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise ReportError(
            f"Chromium ({command[0]}) did not finish printing the report within {timeout_s:.0f} s"
        ) from None
    finally:
        _stop(process)
    stderr = raw.decode("utf-8", errors="replace")
    if process.returncode != 0:
        raise ReportError(f"Chromium ({command[0]}) failed with exit code {process.returncode}: {_tail(stderr)}")
    return stderr


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop what is left of Chromium's process group (helpers outliving the browser), then reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group has already gone
        os.killpg(process.pid, signal.SIGKILL)
    if process.poll() is None:
        process.wait(timeout=10)


def _tail(stderr: str) -> str:
    text = stderr.strip()
    if not text:
        return "it wrote no error output"
    return text if len(text) <= STDERR_TAIL else "…" + text[-STDERR_TAIL:]
