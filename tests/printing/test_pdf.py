"""The shared PDF helper: fonts that print Chinese, page counting, shrinking to fit."""

from printing import fonts
from printing.pdf import Document, fit, page_count

PARAGRAPH = "A long paragraph about staying safe online, written to fill the page. " * 12


def test_page_count_is_read_from_the_file():
    doc = Document(title="Three pages", language="en")
    for _ in range(40):
        doc.paragraph(PARAGRAPH)
    data = doc.output()
    assert data.startswith(b"%PDF")
    assert page_count(data) == doc.pages >= 3


def test_chinese_text_is_embedded_with_noto_cjk():
    assert fonts.CJK_FONT.exists(), "install fonts-noto-cjk (scripts/ensure_fonts.sh)"
    doc = Document(title="中文", language="zh-hans")
    doc.heading("本课目标")
    doc.paragraph("没有信任的大人在场，不付款、不给验证码、不共享屏幕。" * 3, label="黄金法则：")
    data = doc.output()
    assert b"NotoSansCJK" in data and page_count(data) == 1
    assert doc.written[0] == "本课目标" and doc.written[1].startswith("黄金法则：")


def test_fit_shrinks_the_type_until_the_pages_fit():
    tried = []

    def build(size, like):
        tried.append(size)
        doc = Document(title="Fit", language="en", size=size, like=like)
        for _ in range(9):
            doc.paragraph(PARAGRAPH)
        return doc

    data = fit(build, max_pages=1, sizes=(14, 12, 10, 8, 6))
    assert page_count(data) == 1
    assert tried[0] == 14 and len(tried) > 1  # 14 pt needs two pages or more
    assert page_count(fit(build, max_pages=9, sizes=(14, 12))) > 1  # the first size that fits is kept
