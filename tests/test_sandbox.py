"""A register's own templates run in Jinja's sandbox, and `changes` shows them as code to review."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import git, make_register_repo


def run_process(*args: str, cwd: Path, env=None):
    """The CLI in this process, on the register of the repository ``cwd``."""
    from types import SimpleNamespace

    from click.testing import CliRunner

    from secstatus.cli import main

    result = CliRunner().invoke(main, ["--data", str(cwd / "data"), *args], catch_exceptions=False)
    return SimpleNamespace(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


ESCAPE = '{{ cycler.__init__.__globals__.os.popen("touch PWNED").read() }}'


def test_a_template_reaching_for_python_internals_is_refused(tmp_path):
    repo = make_register_repo(tmp_path / "repo")
    own = repo / "templates"
    own.mkdir()
    (own / "report.md").write_text("# Our report\n\n" + ESCAPE + "\n")
    done = run_process("report", "--month", "2019-05", "--format", "md", "-o", "-", cwd=repo)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1].startswith(
        f"secstatus: error: {own / 'report.md'}:3: template refused by the sandbox:"
    )
    assert not (repo / "PWNED").exists() and not (tmp_path / "PWNED").exists()


def test_a_template_cannot_change_the_values_it_is_given(tmp_path):
    repo = make_register_repo(tmp_path / "repo")
    (repo / "templates").mkdir()
    # The report's context is frozen data; the sandbox also refuses to change any container a
    # template makes or reaches (here a dict's update).
    (repo / "templates" / "report.md").write_text("{% set seen = {} %}{{ seen.update({'a': report.stages}) }}\n")
    done = run_process("report", "--month", "2019-05", "--format", "md", "-o", "-", cwd=repo)
    assert done.returncode == 1 and "template refused by the sandbox" in done.stderr


def test_the_shipped_templates_render_in_the_sandbox(tmp_path):
    for fmt in ("html", "md"):
        done = run_process(
            "report",
            "--month",
            "2019-05",
            "--format",
            fmt,
            "-o",
            str(tmp_path / f"r.{fmt}"),
            cwd=make_register_repo(tmp_path / fmt),
        )
        assert done.returncode == 0, done.stderr


def test_changes_lists_added_and_changed_templates(tmp_path):
    repo = make_register_repo(tmp_path / "repo")
    (repo / "templates").mkdir()
    (repo / "templates" / "report.css").write_text("body { color: black }\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "our style")
    git(repo, "checkout", "-qb", "restyle")
    (repo / "templates" / "report.css").write_text("body { color: red }\n")
    (repo / "templates" / "report.md").write_text(ESCAPE + "\n")
    (repo / "requirements.txt").write_text("secstatus==99\n")
    done = run_process("changes", cwd=repo, env={**os.environ})
    assert done.stdout.splitlines() == [
        "requirements.txt: file added: it chooses the secstatus that checks the register; review it as code",
        "templates/report.css: template changed: it runs when a report or the site is rendered; review it as code",
        "templates/report.md: template added: it runs when a report or the site is rendered; review it as code",
    ]
    md = run_process("changes", "--format", "md", cwd=repo, env={**os.environ}).stdout
    assert "| templates/report.md | template added: it runs when a report" in md


def test_a_hostile_new_draft_template_is_refused_and_writes_nothing(tmp_path):
    repo = make_register_repo(tmp_path / "repo")
    (repo / "templates").mkdir()
    (repo / "templates" / "new-draft-proposal.yaml").write_text("id: {{ id }}\n" + ESCAPE + "\n")
    done = run_process("new", "dp", "--title", "T", "--proposer", "P", "--raised", "2019-06-01", cwd=repo)
    assert done.returncode == 1 and "new-draft-proposal.yaml:2: template refused by the sandbox" in done.stderr
    assert not (repo / "data" / "modifications" / "DP076.yaml").exists() and not (repo / "PWNED").exists()


def test_the_sandbox_remembers_verdicts_without_changing_any():
    """A verdict is remembered per (type, attribute name): asked again, an unsafe attribute is
    still refused and a safe one still allowed, exactly as Jinja's own sandbox decides."""
    import pytest
    from jinja2 import StrictUndefined
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from secstatus.output.sandbox import Sandbox

    ours, theirs = Sandbox(undefined=StrictUndefined), ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    from types import SimpleNamespace

    cases = [
        ([1], "append"),
        ([1], "count"),
        ({"a": 1}, "update"),
        ({"a": 1}, "get"),
        (len, "__globals__"),
        (run_process, "__globals__"),
        (run_process, "__name__"),
        (str, "mro"),
        ("x", "upper"),
        # the same name safe on one type and not on another, asked in both orders: a verdict
        # remembered by name alone would let the second through
        (SimpleNamespace(mro=1), "mro"),
        (SimpleNamespace(append=1), "append"),
    ]
    for order in (cases, cases[::-1], cases):
        fresh = Sandbox(undefined=StrictUndefined)
        for obj, attr in order:
            assert fresh.is_safe_attribute(obj, attr, None) == theirs.is_safe_attribute(obj, attr, None), (obj, attr)
    for _ in range(2):
        for obj, attr in cases:
            assert ours.is_safe_attribute(obj, attr, None) == theirs.is_safe_attribute(obj, attr, None), (obj, attr)
    template = "{{ items.append(2) }}"
    for _ in range(2):
        with pytest.raises(SecurityError):
            ours.from_string(template).render(items=[1])


def test_remembering_verdicts_keeps_jinjas_contract_for_every_attribute_the_templates_read(monkeypatch, tmp_path):
    """The verdict cache rests on Jinja's ``is_safe_attribute`` judging by the object's type and
    the attribute's name. Every attribute the package's templates read (both reports, every page
    of the site, the data-format document, a new record) is judged here by Jinja's own method too:
    with the value read, with other values, and on every object of the type; each time the same
    as the verdict the sandbox remembers."""
    import datetime as dt

    from conftest import DATA, ROOT
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from secstatus.domain.workdays import calendar_for
    from secstatus.editing import create, formatdoc
    from secstatus.output import render
    from secstatus.output.sandbox import Sandbox
    from secstatus.register.checks import validate
    from secstatus.report.build import build
    from secstatus.site import build as site

    asked: dict[tuple[type, str], set[bool]] = {}
    differ: list[str] = []

    class Judged(Sandbox):
        def is_safe_attribute(self, obj, attr, value):
            remembered = super().is_safe_attribute(obj, attr, value)
            jinjas = {
                ImmutableSandboxedEnvironment.is_safe_attribute(self, obj, attr, other)
                for other in (value, None, object(), "text")
            }
            if jinjas != {remembered}:
                differ.append(f"{type(obj).__name__}.{attr}: remembered {remembered}, Jinja's {jinjas}")
            asked.setdefault((type(obj), attr), set()).update(jinjas)
            return remembered

    monkeypatch.setenv("SECSTATUS_NO_CACHE", "1")
    monkeypatch.setattr(render, "Sandbox", Judged)
    monkeypatch.setattr(render, "render_pdf", lambda *args, **kwargs: b"")  # the PDF reads nothing more
    register, _ = validate(DATA)
    cal, dirs = calendar_for(register.calendar_days), render.template_dirs(DATA)
    context = build(register, "2019-05", cal)
    for fmt in ("html", "md"):
        render.render_text(context, fmt, dirs)
    site.render_files(register, DATA, dt.date(2019, 5, 2), cal, dirs)
    formatdoc.render(ROOT)
    create.new_draft(register, dirs, "A title", "A proposer", dt.date(2019, 6, 3), "A summary")
    assert differ == []
    assert [f"{kind.__name__}.{attr}" for (kind, attr), verdicts in asked.items() if len(verdicts) > 1] == []
    kinds = {kind.__name__ for kind, _ in asked}
    assert len(asked) > 100 and {"Report", "Cover", "FieldDoc", "date"} <= kinds, sorted(kinds)


def test_a_frozen_dataclass_field_holding_str_format_is_guarded_as_jinja_guards_it():
    """Jinja hands out a string's ``format`` method only wrapped in its sandboxed formatter, which
    refuses ``{0.__class__...}``; a field that holds one gets no way past that."""
    from dataclasses import dataclass

    import pytest
    from jinja2.exceptions import SecurityError

    from secstatus.output.sandbox import Sandbox

    @dataclass(frozen=True)
    class Row:
        say: object

    row = Row("{0.__class__.__init__.__globals__[__name__]}".format)
    with pytest.raises(SecurityError):
        Sandbox().from_string("{{ row.say(row) }}").render(row=row)


SECRET = "the runner's credentials\n"


def test_a_template_that_is_a_symlink_out_of_the_templates_folder_is_not_read(tmp_path):
    # A pull request can add a symlink as easily as a file: templates/report.md pointing at a
    # file of the machine that renders it would copy that file into the report (or the site).
    repo = make_register_repo(tmp_path / "repo")
    (tmp_path / "secret.txt").write_text(SECRET)
    own = repo / "templates"
    own.mkdir()
    (own / "report.md").symlink_to(tmp_path / "secret.txt")
    (own / "wrapper.md").write_text("{% include 'secret.md' %}\n")
    (own / "secret.md").symlink_to(os.path.relpath(tmp_path / "secret.txt", own))
    done = run_process("report", "--month", "2019-05", "--format", "md", "-o", "-", cwd=repo)
    assert done.returncode == 1 and "outside the templates folder" in done.stderr
    assert "credentials" not in done.stdout + done.stderr
    (own / "report.md").unlink()
    (own / "report.md").write_text("{% include 'wrapper.md' %}")
    done = run_process("report", "--month", "2019-05", "--format", "md", "-o", "-", cwd=repo)
    assert done.returncode == 1 and "outside the templates folder" in done.stderr
    assert "credentials" not in done.stdout + done.stderr


def test_a_symlink_inside_the_templates_folder_is_read(tmp_path):
    repo = make_register_repo(tmp_path / "repo")
    own = repo / "templates"
    (own / "shared").mkdir(parents=True)
    (own / "shared" / "body.md").write_text("Ours for {{ report.cover.month | month_year }}\n")
    (own / "report.md").symlink_to("shared/body.md")
    done = run_process("report", "--month", "2019-05", "--format", "md", "-o", "-", cwd=repo)
    assert done.returncode == 0 and done.stdout == "Ours for May 2019\n"


def test_a_templates_folder_that_is_a_symlink_out_of_the_repository_is_refused(tmp_path):
    repo = make_register_repo(tmp_path / "repo")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "report.md").write_text(SECRET)
    (repo / "templates").symlink_to(elsewhere)
    done = run_process("report", "--month", "2019-05", "--format", "md", "-o", "-", cwd=repo)
    assert done.returncode == 1 and "outside the repository" in done.stderr
    assert "credentials" not in done.stdout + done.stderr


def test_a_site_asset_that_is_a_symlink_out_of_the_templates_folder_is_not_published(tmp_path):
    repo = make_register_repo(tmp_path / "repo")
    (tmp_path / "secret.txt").write_text(SECRET)
    (repo / "templates" / "site").mkdir(parents=True)
    (repo / "templates" / "site" / "site.css").symlink_to(tmp_path / "secret.txt")
    done = run_process("site", "--as-at", "2019-05-31", "-o", str(tmp_path / "out"), cwd=repo)
    assert done.returncode == 1 and "outside the templates folder" in done.stderr
    assert not (tmp_path / "out").exists()


# A render's limits: a time budget and a memory bound ----------------------------------------------


def render_own(tmp_path: Path, name: str, text: str, env: dict | None = None, fmt: str = "md"):
    """A pull request's register whose own template ``name`` is ``text``: its report, rendered by
    the CLI in this process with ``env``; the result and the seconds it took."""
    import time

    from click.testing import CliRunner

    from secstatus.cli import main

    repo = make_register_repo(tmp_path / "repo")
    (repo / "templates").mkdir()
    (repo / "templates" / name).write_text(text)
    start = time.monotonic()
    result = CliRunner().invoke(
        main,
        [
            "--data",
            str(repo / "data"),
            "report",
            "--month",
            "2019-05",
            "--format",
            fmt,
            "-o",
            str(tmp_path / f"out.{fmt}"),
        ],
        env=env,
        catch_exceptions=False,
    )
    return result, time.monotonic() - start, repo / "templates" / name


NESTED_LOOPS = (
    "# {{ report.cover.month }}\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n"
)


def test_nested_loops_stop_at_the_time_budget_with_a_clean_error(tmp_path):
    import resource
    import signal

    limit, handler = resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM)
    result, took, template = render_own(tmp_path, "report.md", NESTED_LOOPS, {"SECSTATUS_TEMPLATE_TIMEOUT": "0.5"})
    assert result.exit_code == 1 and 0.5 <= took < 8, took  # the budget, not the loops (hours)
    assert result.stderr.splitlines()[-1] == (
        f"secstatus: error: {template}:2: template stopped after its time budget of 0.5 s (SECSTATUS_TEMPLATE_TIMEOUT)"
    )
    assert not (tmp_path / "out.md").exists()
    # The process is as it was: no memory limit left behind, no timer, the old signal handler.
    assert resource.getrlimit(resource.RLIMIT_AS) == limit and signal.getsignal(signal.SIGALRM) == handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_budget_holds_for_every_template_a_render_imports(tmp_path):
    """A site page's macro file, caught in a loop: the site's render stops and names that file."""
    from click.testing import CliRunner

    from secstatus.cli import main

    repo = make_register_repo(tmp_path / "repo")
    (repo / "templates" / "site").mkdir(parents=True)
    macros = (Path(__file__).parents[1] / "src" / "secstatus" / "templates" / "site" / "macros.html").read_text()
    (repo / "templates" / "site" / "macros.html").write_text(
        macros.replace(
            "{% macro stage_badge(stage) -%}",
            "{% macro stage_badge(stage) -%}\n"
            "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        )
    )
    result = CliRunner().invoke(
        main,
        ["--data", str(repo / "data"), "site", "-o", str(tmp_path / "site")],
        env={"SECSTATUS_TEMPLATE_TIMEOUT": "0.5"},
        catch_exceptions=False,
    )
    assert result.exit_code == 1 and not (tmp_path / "site").exists()
    assert result.stderr.splitlines()[-1] == (
        f"secstatus: error: {repo / 'templates' / 'site' / 'macros.html'}:5: "
        "template stopped after its time budget of 0.5 s "
        "(SECSTATUS_TEMPLATE_TIMEOUT)"
    )


def test_a_memory_bomb_stops_at_the_default_bound_with_a_clean_error(tmp_path):
    result, took, template = render_own(tmp_path, "report.html", "<p>{{ 'x' * 10 ** 10 }}</p>\n", fmt="html")
    assert result.exit_code == 1 and took < 8
    assert result.stderr.splitlines()[-1] == (
        f"secstatus: error: {template}:1: template stopped past its memory "
        "bound of 1024 MiB (SECSTATUS_TEMPLATE_MEMORY)"
    )


def test_a_growing_join_stops_at_the_bound_set(tmp_path):
    bomb = "{% set s = 'x' * 10 ** 7 %}\n{{ ([s] * 1000) | join }}\n"
    result, took, template = render_own(tmp_path, "report.md", bomb, {"SECSTATUS_TEMPLATE_MEMORY": "200"})
    assert result.exit_code == 1 and took < 8
    assert result.stderr.splitlines()[-1] == (
        f"secstatus: error: {template}:2: template stopped past its memory bound of 200 MiB (SECSTATUS_TEMPLATE_MEMORY)"
    )


def test_a_huge_power_is_refused_before_it_is_computed(tmp_path):
    result, took, template = render_own(tmp_path, "report.md", "{{ 7 * 7 }} {{ 2 ** 64 }} {{ 10 ** 100000000 }}\n")
    assert result.exit_code == 1 and took < 8
    assert result.stderr.splitlines()[-1] == (
        f"secstatus: error: {template}:1: template refused by the sandbox: "
        "10 ** 100000000 is too large a number to compute"
    )


def test_a_limit_that_is_not_a_number_is_a_clean_error(tmp_path):
    result, _, _ = render_own(tmp_path, "report.md", "# ours\n", {"SECSTATUS_TEMPLATE_TIMEOUT": "soon"})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "secstatus: error: SECSTATUS_TEMPLATE_TIMEOUT='soon' is not a positive number"
    )
