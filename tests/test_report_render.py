"""The meeting deck drawn by a real presentation program: LibreOffice Impress converts the demo
deck to PDF, poppler's pdftoppm draws each page as a PNG, and every slide must come out as a page
with something on it. The PNGs are kept in tests/artifacts/deck/ (git-ignored) to look at.

Skipped, saying why, where `soffice` or `pdftoppm` is missing (CI installs LibreOffice Impress and
poppler-utils).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation

from reports import deck
from reports.formats import RenderOptions
from standards.report import Report

ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "deck"
#: LibreOffice's first start builds its profile; a slow machine needs a while.
TIMEOUT = 180

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOPPM = shutil.which("pdftoppm")
needs_tools = pytest.mark.skipif(
    SOFFICE is None or PDFTOPPM is None,
    reason="needs LibreOffice (soffice) and poppler (pdftoppm) on PATH: apt-get install libreoffice-impress poppler-utils",
)


def draw(pptx: Path, out: Path) -> list[Path]:
    """The deck as one PNG per slide (50 dpi), through LibreOffice's PDF export, in a private
    profile so parallel runs do not share one."""
    profile = out / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir",
         str(out), str(pptx)],
        check=True, capture_output=True, timeout=TIMEOUT,
    )  # fmt: skip
    pdf = out / f"{pptx.stem}.pdf"
    assert pdf.is_file(), f"LibreOffice wrote no PDF for {pptx.name}"
    subprocess.run([PDFTOPPM, "-png", "-r", "50", str(pdf), str(out / "slide")], check=True, timeout=TIMEOUT)
    return sorted(out.glob("slide-*.png"))


def ink(png: Path) -> float:
    """The share of the image that is not (near) white."""
    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[245:]) / (image.width * image.height)


@pytest.mark.slow
@needs_tools
@pytest.mark.timeout(2 * TIMEOUT)
def test_libreoffice_draws_every_slide_of_the_demo_deck(demo_report: Report, tmp_path: Path) -> None:
    pptx = tmp_path / "demo-deck.pptx"
    pptx.write_bytes(deck.render(demo_report, RenderOptions()))
    pngs = draw(pptx, tmp_path)
    slides = len(Presentation(str(pptx)).slides)
    assert len(pngs) == slides
    sizes = set()
    for png in pngs:
        with Image.open(png) as image:
            sizes.add(image.size)
            assert image.convert("L").getextrema()[0] < 128, f"{png.name}: no dark text"
        assert ink(png) > 0.005, f"{png.name} is blank"
    assert len(sizes) == 1 and next(iter(sizes))[0] > next(iter(sizes))[1]  # every page the same, landscape
    assert len({png.stat().st_size for png in pngs}) == len(pngs)  # no two slides alike
    charts = [ink(png) for png in pngs[2:5]]  # compliance, drift, fragmentation: filled bars
    assert all(share > 0.05 for share in charts), charts
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    for png in pngs:
        shutil.copy(png, ARTIFACTS / png.name)
