"""Markdown escaping holds against a real CommonMark parser: a hostile register's report has
exactly the elements its benign twin's has, no raw HTML, no image, no link of its own."""

from __future__ import annotations

import functools
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import DATA, make_register_repo
from markdown_it import MarkdownIt

HOSTILE = (
    "<img src=x onerror=alert(1)> <script>x</script> **b** _i_ [l](http://evil.example) "
    "![i](http://evil.example/i.png) `c` | x | &amp; &#60;b&#62; $m$ ~~s~~ \\ http://auto.example "
    "<http://auto2.example> [r]: http://ref.example www.bare.example mail@evil.example"
)
HOSTILE_VALUES = {
    ("modifications/DP075.yaml", "title"): "# Heading " + HOSTILE,
    ("modifications/DP075.yaml", "proposer"): "1. list " + HOSTILE,
    ("modifications/DP075.yaml", "summary"): "para\n\n# injected heading\n\n<script>x</script>\n- list\n    code",
    ("modifications/SECMP0069.yaml", "url"): "https://example.org/a)![x](https://evil.example/i.png)<b>",
    ("releases/2019-11.yaml", "name"): "- item " + HOSTILE,
    ("releases/eu-exit.yaml", "name"): "> quote " + HOSTILE,
    ("releases/eu-exit.yaml", "when_text"): "=== " + HOSTILE,
    ("reports/2019-05.yaml", "author"): "+ " + HOSTILE,
    ("reports/2019-05.yaml", "team"): "---",
}


def twin(target: Path, hostile: bool) -> Path:
    """A copy of the shipped register with each value above hostile, or plain words in its place."""
    shutil.copytree(DATA, target)
    for (name, key), value in HOSTILE_VALUES.items():
        if not hostile:
            value = "https://example.org/a" if key == "url" else "Plain words"
        path = target / name
        line = f"{key}: {json.dumps(value)}\n"
        text = re.sub(rf"^{key}:.*\n(?:  .*\n)*", lambda _, line=line: line, path.read_text(), flags=re.M)
        assert f"{key}: {json.dumps(value)}" in text, (name, key)
        path.write_text(text)
    return target


def parser() -> MarkdownIt:
    """CommonMark with GitHub's extensions: tables, strikethrough, and bare URLs, www. and e-mail
    addresses as links (GitHub does not link a bare domain, so fuzzy domain links are off).

    With fuzzy links off, linkify-it links neither ``www.`` nor (for a top-level domain it does
    not know, such as the values' ``.example``) an e-mail address: ``www.`` is added as a scheme
    of its own and ``example`` as a known domain, as GitHub links both."""
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])
    md.linkify.set({"fuzzy_link": False})
    md.linkify.tlds("example", True)
    md.linkify.add("www.", {"validate": r"^(?:[a-z0-9-]+\.)+[a-z0-9-]+"})
    return md


@functools.lru_cache(maxsize=8)
def tokens(markdown: str) -> tuple:
    """The parser's tokens of ``markdown`` (only read), parsed once for ``structure`` and ``hrefs``
    alike: a hostile twin's text takes seconds to parse."""
    return tuple(parser().parse(markdown))


def structure(markdown: str) -> list[tuple[str, str]]:
    """Every element the parser finds, in order; runs of text merged."""
    out: list[tuple[str, str]] = []

    def walk(tokens):
        for token in tokens:
            item = (token.type, token.tag)
            if not (item[0] == "text" and out and out[-1][0] == "text"):
                out.append(item)
            walk(token.children or [])

    walk(tokens(markdown))
    return out


def hrefs(markdown: str) -> list[str]:
    return [child.attrs["href"] for t in tokens(markdown) for child in (t.children or []) if child.type == "link_open"]


@pytest.fixture(scope="module")
def reports(
    tmp_path_factory,
):
    from click.testing import CliRunner

    from secstatus.cli import main

    out = {}
    for hostile in (False, True):
        data = twin(tmp_path_factory.mktemp("hostile" if hostile else "benign") / "data", hostile)
        result = CliRunner().invoke(
            main,
            ["--data", str(data), "report", "--month", "2019-05", "--format", "md", "-o", "-"],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.stderr
        out[hostile] = result.stdout
    return out


def test_a_hostile_report_has_the_elements_of_its_benign_twin(reports):
    assert "Heading" in reports[True] and "evil.example" in reports[True]  # the values are really there
    assert structure(reports[True]) == structure(reports[False])


def test_no_raw_html_no_image_and_no_link_the_template_did_not_make(reports):
    kinds = {kind for kind, _ in structure(reports[True])}
    # (The template itself sets the classification notice in emphasis; the structure test above
    # proves a value adds no emphasis of its own.)
    assert not kinds & {"html_block", "html_inline", "image", "code_inline", "code_block", "s_open"}
    links = hrefs(reports[True])
    assert len(links) == len(hrefs(reports[False]))
    site = ("https://smartenergycodecompany.co.uk/", "https://www.smartenergycodecompany.co.uk/")
    assert all(h.startswith(site) for h in links if "example.org" not in h)
    assert "https://example.org/a%29!%5Bx%5D%28https://evil.example/i.png%29%3Cb%3E" in links


def test_changes_markdown_of_a_hostile_edit_has_the_elements_of_a_benign_one(tmp_path, cli):
    tables = {}
    for hostile in (False, True):
        repo = make_register_repo(tmp_path / f"repo{hostile}")
        path = repo / "data" / "modifications" / "DP075.yaml"
        value = "# Heading " + HOSTILE if hostile else "Plain words"
        path.write_text(
            re.sub(r"^title:.*$", lambda _, value=value: f"title: {json.dumps(value)}", path.read_text(), flags=re.M)
        )
        result = cli("--data", str(repo / "data"), "changes", "--format", "md")
        assert result.exit_code == 0, result.stderr
        tables[hostile] = result.stdout
    assert "evil.example" in tables[True]
    assert structure(tables[True]) == structure(tables[False])


@pytest.mark.parametrize(
    "field, value",
    [("title", "Two\\n# lines"), ("proposer", "Form\\ffeed"), ("title", "Bell\\a"), ("title", "Line\\u2028separator")],
)
def test_single_line_fields_refuse_line_breaks_and_control_characters(cli, data_copy, field, value):
    path = data_copy / "modifications" / "DP075.yaml"
    lines = path.read_text().splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith(f"{field}:"))
    lines[row] = f'{field}: "{value}"\n'
    path.write_text("".join(lines))
    result = cli("--data", str(data_copy), "validate")
    assert result.exit_code == 1
    assert re.search(
        rf"modifications/DP075\.yaml:{row + 1}:{len(field) + 3}: error: {field}: a line break or "
        r"control character \(U\+[0-9A-F]{4}\) is not allowed in this one-line field "
        r"\[control-character\]",
        result.stdout,
    ), result.stdout


def test_new_dp_refuses_a_title_with_a_newline(cli, data_copy):
    result = cli(
        "--data", str(data_copy), "new", "dp", "--title", "A\n# heading", "--proposer", "Ann", "--raised", "2019-06-01"
    )
    assert result.exit_code == 1 and "[control-character]" in result.stderr
    assert not (data_copy / "modifications" / "DP076.yaml").exists()


def test_md_filter_and_url_filter():
    from secstatus.output.render import md_text, md_url

    assert md_text("1. a") == "1\\. a" and md_text("6.11") == "6.11" and md_text("# x") == "\\# x"
    assert md_text("a\n# b") == "a # b" and md_text("<b>&") == "&lt;b&gt;&amp;"
    assert md_text("$m$") == "\\$m\\$"  # GitHub's math: the parser above has none, so checked here
    assert md_url("javascript:alert(1)") == "#" and md_url("https://a.example/(x y)") == "https://a.example/%28x%20y%29"
