"""On a PC with no CJK font at all, the PDFs embed the app's own AR PL UMing/UKai
subsets (resources/fonts/, installer/subset_fonts.py); a system 仿宋/宋体 still wins."""

from __future__ import annotations

import importlib.util
import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from desktop.domain.bulletin import BulletinSettings, parse_bulletin_text
from desktop.domain.subsidy_sheet import SheetLine, SubsidySheet
from desktop.paths import resource_path
from desktop.reports import fonts, glyphs
from desktop.reports.bulletin_pdf import render_bulletin
from desktop.reports.subsidy_sheet_pdf import render_subsidy_sheet

ROOT = Path(__file__).resolve().parents[2]


def _subset_fonts():
    spec = importlib.util.spec_from_file_location("liangxin_subset_fonts",
                                                  ROOT / "installer" / "subset_fonts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def shipped() -> Path:
    """The subset fonts, made once into build/fonts/ (about 25 s the first time)."""
    folder = _subset_fonts().shipped_fonts(ROOT)
    if folder is None:
        pytest.skip("fontTools or the Debian AR PL fonts are missing")
    return folder


def _clear_caches() -> None:
    fonts._cjk_fonts_cached.cache_clear()
    glyphs._fallback.cache_clear()


@pytest.fixture
def bare_pc(monkeypatch, shipped, tmp_path):
    """No system font folder at all, only the shipped fonts."""
    monkeypatch.delenv(fonts.FORCE_FALLBACK_ENV, raising=False)
    monkeypatch.setattr(fonts, "font_dirs", lambda: [])
    monkeypatch.setattr(glyphs, "font_dirs", lambda: [])
    monkeypatch.setattr(fonts, "shipped_dir", lambda: shipped)
    _clear_caches()
    yield shipped
    _clear_caches()


def embedded_fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def bulletin_pdf() -> tuple[bytes, object]:
    text = resource_path("bulletin/sample_bulletin.txt").read_text(encoding="utf-8")
    bulletin = parse_bulletin_text(text).to_bulletin(BulletinSettings(), year=2022, number=20,
                                                     issued_on=date(2022, 6, 9))
    buffer = io.BytesIO()
    result = render_bulletin(bulletin, buffer)
    return buffer.getvalue(), result


def sheet_pdf(name: str = "张三") -> tuple[bytes, object]:
    line = SheetLine(name=name, id_number="340801198506150001", home_unit="县委组织部",
                     organizations="示范科技有限公司", township="城关镇", posted_days=91,
                     amount_fen=329032, bank_name="农商银行", bank_account="6217000000000001")
    sheet = SubsidySheet(county="示范县", kind="stipend", period_label="2026年第二季度",
                         status="draft", run_id="0f0e0d0c-aaaa-4bbb-8ccc-123456789abc",
                         monthly_stipend_fen=200000, lines=(line,), prepared_on=date(2026, 7, 1))
    buffer = io.BytesIO()
    result = render_subsidy_sheet(buffer, sheet)
    return buffer.getvalue(), result


def test_the_bulletin_embeds_the_shipped_song_and_kai(bare_pc):
    data, result = bulletin_pdf()

    names = embedded_fonts(data)
    assert any("UMingCN" in name for name in names), names
    assert any("UKaiCN" in name for name in names), names  # the contents entries
    assert not any("STSong" in name for name in names)
    assert not result.warnings, result.warnings


def test_the_subsidy_sheet_embeds_the_shipped_song(bare_pc):
    data, result = sheet_pdf()

    names = embedded_fonts(data)
    assert names and all("UMingCN" in name or "Helvetica" in name for name in names), names
    assert not result.warnings, result.warnings


def test_a_name_character_outside_gb2312_prints(bare_pc):
    assert "堃".encode("gb2312", errors="ignore") == b""  # not in GB 2312
    _, result = sheet_pdf("王堃")

    assert not result.warnings, result.warnings


def test_a_system_song_still_wins(monkeypatch, bare_pc, tmp_path):
    """A PC's own 宋体 (here: uming.ttc copied under the Windows name) comes first."""
    system = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
    if not system.is_file():
        pytest.skip("no uming.ttc to play the system font")
    folder = tmp_path / "Fonts"
    folder.mkdir()
    shutil.copyfile(system, folder / "simsun.ttc")
    monkeypatch.setattr(fonts, "font_dirs", lambda: [folder])
    _clear_caches()

    chosen = fonts.cjk_fonts()

    assert chosen.body == chosen.title == "LX-simsun"
    assert chosen.kai == "LX-ukai-subset"
