"""The dashboard's export menus through AppTest: which pages offer which files, and that a file is
built from what the page shows (the browser test clicks a button and opens the download)."""

from __future__ import annotations

import pytest

from reports.formats import FORMATS
from reports.pdf import chromium_available
from tests.dashboard_app import DemoSite, open_page

#: The formats each page offers, in order (PDF only where Chromium is installed).
OFFERED = {
    "overview": ("pptx", "html", "xlsx", "csv", "md", "json", "pdf"),
    "teams": ("xlsx", "csv", "pptx"),
    "meeting": ("pptx", "html", "md", "pdf"),
}


@pytest.mark.parametrize("page", list(OFFERED))
def test_each_page_offers_its_formats_with_the_snapshots_file_names(dashboard: DemoSite, page: str) -> None:
    at = open_page(page)
    assert not at.exception
    buttons = at.get("download_button")
    expected = [f for f in OFFERED[page] if f != "pdf" or chromium_available()]
    assert [b.proto.label for b in buttons] == [FORMATS[f].label for f in expected]
    names = {b.proto.label: b.proto for b in buttons}
    for fmt in expected:
        proto = names[FORMATS[fmt].label]
        assert proto.HasField("deferred_file_id"), f"{fmt} is built on every run, not when clicked"


def test_the_export_menu_is_not_drawn_in_presentation_mode(dashboard: DemoSite) -> None:
    at = open_page("meeting", {"present": "true"})
    assert not at.exception
    assert len(at.get("download_button")) == 0
