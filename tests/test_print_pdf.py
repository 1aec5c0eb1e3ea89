"""``prepbook print``: each example workshop's facilitation kit and decision record as real
PDF files on A4 and Letter, read back with pypdf: the record on one page, the paper's
size, every word inside the page, the same bytes twice, and a clear message when the pdf
extra is missing. The pages are also drawn as pictures (pdftoppm) into the browser
tests' screenshots folder, for a reviewer to look at."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
import yaml

from tests.browser.harness import SCREENSHOTS
from tests.conftest import EXAMPLES
from tests.test_site import copy_repo

WORKSHOPS = ("northwind-retail", "harbor-bank", "cadenza-streaming")
SIZES = {"a4": (595.3, 841.9), "letter": (612.0, 792.0)}  # points, as pypdf reads them


def run_print(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "prepbook", "print", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_repo(tmp_path_factory.mktemp("print"))
    done = run_print(root, "--paper", "both", "--output", "pdf")
    assert done.returncode == 0, done.stderr
    return root / "pdf"


def words_outside(reader: pypdf.PdfReader) -> list[str]:
    """Text drawn past an edge of its page (a line cut at the margin), with where it is.
    Where a run of text ends is estimated from its length and size, generously short
    (0.45 em a character, where the font's average is wider), so only a real overrun
    counts."""
    outside: list[str] = []
    for number, page in enumerate(reader.pages, 1):
        box = page.mediabox
        outside.extend(_outside(page, number, float(box.width), float(box.height)))
    return outside


def _outside(page: pypdf.PageObject, number: int, width: float, height: float) -> list[str]:
    found: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + cm[4]
        y = tm[5] * cm[3] + cm[5]
        end = x + len(text.rstrip()) * 0.45 * size * tm[0] * cm[0]
        if not (x >= 0 and end <= width and 0 <= y <= height):
            found.append(f"page {number} at ({x:.0f}, {y:.0f}) to {end:.0f}: {text[:40]!r}")

    page.extract_text(visitor_text=visit)
    return found


class TestTheFiles:
    def test_a_kit_and_a_record_for_each_workshop_on_each_paper(self, printed: Path) -> None:
        names = sorted(p.name for p in printed.glob("*.pdf"))
        assert names == sorted(
            f"{ws}-{kind}-{size}.pdf"
            for ws in WORKSHOPS
            for kind in ("kit", "record")
            for size in SIZES
        )

    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("workshop", WORKSHOPS)
    def test_the_decision_record_is_one_page_of_its_paper(
        self, printed: Path, workshop: str, size: str
    ) -> None:
        reader = pypdf.PdfReader(printed / f"{workshop}-record-{size}.pdf")
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == SIZES[size]
        text = reader.pages[0].extract_text()
        assert "What was decided" in text and "What could go wrong" in text
        assert "Open gaps" in text
        assert words_outside(reader) == []

    @pytest.mark.parametrize("size", SIZES)
    @pytest.mark.parametrize("workshop", WORKSHOPS)
    def test_the_kit_has_every_sheet_and_card_within_its_pages(
        self, printed: Path, workshop: str, size: str
    ) -> None:
        reader = pypdf.PdfReader(printed / f"{workshop}-kit-{size}.pdf")
        text = "\n".join(page.extract_text() for page in reader.pages)
        for sheet in ("Agenda", "Audit worksheet", "Persofail cards", "Prioritisation sheet"):
            assert sheet in text
        source = yaml.safe_load((EXAMPLES / f"{workshop}.yaml").read_text(encoding="utf-8"))
        for persofail in source["persofails"]:
            assert persofail["id"] in text
        assert words_outside(reader) == []
        sizes = {
            (round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1))
            for p in reader.pages
        }
        assert sizes == {SIZES[size]}
        # each sheet starts a page: the agenda alone on the first
        first = reader.pages[0].extract_text()
        assert "Agenda" in first and "Audit worksheet" not in first

    def test_two_runs_write_the_same_bytes(self, printed: Path, tmp_path: Path) -> None:
        root = printed.parent
        done = run_print(root, "northwind-retail", "--output", str(tmp_path))
        assert done.returncode == 0, done.stderr
        for name in ("northwind-retail-kit-a4.pdf", "northwind-retail-record-a4.pdf"):
            assert (tmp_path / name).read_bytes() == (printed / name).read_bytes()

    @pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
    def test_the_pages_as_pictures_for_a_reviewer(self, printed: Path) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for workshop in WORKSHOPS:
            for kind in ("kit", "record"):
                stem = SCREENSHOTS / f"print-{workshop}-{kind}-a4"
                pdf = printed / f"{workshop}-{kind}-a4.pdf"
                subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(stem)], check=True)
                pages = len(pypdf.PdfReader(pdf).pages)
                assert len(list(SCREENSHOTS.glob(f"{stem.name}-*.png"))) >= pages


class TestRefusals:
    def test_without_the_extra_it_says_how_to_install_it(self, tmp_path: Path) -> None:
        root = copy_repo(tmp_path / "repo")
        script = (
            "import sys; sys.modules['weasyprint'] = None\n"
            "from prepbook.cli import main\n"
            "sys.exit(main(['print', '--output', 'pdf']))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 2
        assert "pip install 'prepbook[pdf]'" in done.stderr
        assert "Traceback" not in done.stderr
        assert not (root / "pdf").exists()

    def test_an_unknown_workshop_is_a_usage_error(self, tmp_path: Path) -> None:
        root = copy_repo(tmp_path / "repo")
        done = run_print(root, "nowhere", "--output", "pdf")
        assert done.returncode == 2
        assert "no workshop 'nowhere'" in done.stderr
        assert "northwind-retail" in done.stderr

    def test_a_playbook_with_errors_writes_nothing(self, tmp_path: Path) -> None:
        root = copy_repo(tmp_path / "repo")
        path = root / "workshops" / "northwind-retail.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("status: held", "status: hled", 1))
        done = run_print(root, "--output", "pdf")
        assert done.returncode == 1
        assert "nothing was written" in done.stderr
        assert not (root / "pdf").exists()


def test_a_very_long_word_stays_on_the_paper(tmp_path: Path) -> None:
    """Text from the file wraps inside the page, even a word longer than a line, in a
    card and in a worksheet's table."""
    root = copy_repo(tmp_path / "repo")
    path = root / "workshops" / "northwind-retail.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    word = "Unbreakable" * 25
    data["persofails"][0]["scenario"] = f"A {word} scenario."
    data["audit"][0]["evidence"] = f"Seen in {word}."
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    done = run_print(root, "northwind-retail", "--output", "pdf")
    assert done.returncode in (0, 1), done.stderr
    assert (root / "pdf" / "northwind-retail-kit-a4.pdf").exists(), done.stderr
    reader = pypdf.PdfReader(root / "pdf" / "northwind-retail-kit-a4.pdf")
    assert words_outside(reader) == []


def test_markup_from_the_file_prints_as_its_words(tmp_path: Path) -> None:
    """A script tag, a template expression and a link to ``javascript:`` in the file are
    printed as the characters the file holds: nothing runs, nothing is evaluated, and
    no link to it is made in the PDF."""
    root = copy_repo(tmp_path / "repo")
    path = root / "workshops" / "northwind-retail.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    hostile = "<script>alert(1)</script> {{ 7*7 }} [x](javascript:alert(1))"
    data["persofails"][0]["title"] = hostile
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    done = run_print(root, "northwind-retail", "--output", "pdf")
    assert done.returncode in (0, 1), done.stderr
    pdf = root / "pdf" / "northwind-retail-kit-a4.pdf"
    reader = pypdf.PdfReader(pdf)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "<script>alert(1)</script>" in text
    assert "{{ 7*7 }}" in text
    assert b"javascript:" not in pdf.read_bytes()
    assert words_outside(reader) == []
