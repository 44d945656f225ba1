"""Escaping is the security boundary of the console: evidence marks, diffs and markdown never emit raw input."""

from __future__ import annotations

from app.web.markdown import render_markdown
from app.web.text import Mark, edit_stats, highlight, line_diff, word_diff


def test_highlight_escapes_everything_and_marks_the_evidence() -> None:
    text = 'Send <b>$500</b> or I post the video & "tell everyone" <script>alert(1)</script>'
    html = str(highlight(text, [Mark("I post the video", "critical", "extortion")]))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<mark class="ev ev-critical" title="extortion">I post the video</mark>' in html
    assert "&amp; &#34;tell everyone&#34;" in html


def test_highlight_finds_evidence_with_markup_characters_case_insensitively() -> None:
    html = str(highlight("Call me at <ME> & NOW", [Mark("<me> & now", "high", "x")]))
    assert html == 'Call me at <mark class="ev ev-high" title="x">&lt;ME&gt; &amp; NOW</mark>'


def test_highlight_merges_overlaps_and_ignores_tiny_or_hostile_labels() -> None:
    marks = [
        Mark("kill myself", "critical", "self_harm"),
        Mark("myself tonight", "critical", '"><script>'),
        Mark("a", "info", "y"),
    ]
    html = str(highlight("I will kill myself tonight, a lot", marks))
    assert html.count("<mark") == 1
    assert ">kill myself tonight</mark>" in html
    assert "<script>" not in html


def test_word_diff_marks_insertions_and_deletions_escaped() -> None:
    html = str(word_diff("Your coins arrive soon.", "Your <coins> arrived today."))
    assert html == (
        "Your <del>coins</del><ins>&lt;coins&gt;</ins> <del>arrive</del><ins>arrived</ins> "
        "<del>soon.</del><ins>today.</ins>"
    )
    assert edit_stats("a b c", "a x c d") == (2, 1)


def test_line_diff_types_lines() -> None:
    lines = line_diff("a\nb\nc\n", "a\nB\nc\n", old_label="v1", new_label="v2")
    kinds = [(line.kind, line.text) for line in lines]
    assert ("del", "b") in kinds and ("add", "B") in kinds
    assert kinds[0][0] == "hunk"


def test_markdown_renders_known_blocks_and_escapes_html() -> None:
    html = str(
        render_markdown(
            "# Title\n\nSome **bold** and `<code>` text <img src=x onerror=alert(1)>.\n\n"
            "- first\n- second with https://help.streamnest.example/a.\n\n1. one\n2. two\n"
        )
    )
    assert "<h2>Title</h2>" in html  # shifted down: the page has its own h1
    assert "<strong>bold</strong>" in html
    assert "<code>&lt;code&gt;</code>" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<ul><li>first</li><li>second with " in html
    assert '<a href="https://help.streamnest.example/a" rel="noopener noreferrer">' in html
    assert "</a>.</li>" in html  # the sentence's full stop is not part of the URL
    assert "<ol><li>one</li><li>two</li></ol>" in html


def test_markdown_drops_unsafe_link_targets() -> None:
    html = str(render_markdown('[click](javascript:alert(1)) and [ok](/kb/x) and [q](https://a.example/?a=1&b="2")'))
    assert 'href="javascript' not in html
    assert '<a href="/kb/x" rel="noopener noreferrer">ok</a>' in html
    assert 'href="https://a.example/?a=1&amp;b=&#34;2&#34;"' in html
