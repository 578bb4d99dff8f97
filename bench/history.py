"""A synthetic register with a git history: RECORDS modifications at its last commit, COMMITS commits.

The first commit holds the shipped register and clones of its SECMP records (synth.py); each later
commit is one pull request's worth of work, as a register's maintainers make them:

- a new Draft Proposal, in its own words (git takes it for no other file's copy), so that the
  register holds RECORDS modifications at the end;
- an edit: a DCC status added to a Draft Proposal's events, or a SECMP record's title reworded;
- a conversion: a Draft Proposal's CSC decision and conversion (its file keeps its name, DPnnn);
- a rename: a Draft Proposal raised again as an alternative, DPnnn.yaml becoming MPnnnA.yaml
  (git finds the rename by content); its old name may later hold a new Draft Proposal;
- a deletion, and the same file added back some commits later;
- now and then a side branch: two commits made while the main branch moves on, then a merge.

Every file's events stay in date order and every record valid, so the last commit's register
passes ``secstatus validate``; its dates end by 29 April 2019, so a site as at 30 April 2019
shows every record. Commits are a minute apart (a side branch's between the main branch's), so
``git log`` walks them in the order made. The repository is written by ``git fast-import``.

    python bench/history.py ROOT RECORDS COMMITS   # prints ROOT/data
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from synth import SHIPPED, write_register  # noqa: E402

FIRST_DAY = dt.date(2013, 6, 1)
LAST_DAY = dt.date(2019, 4, 29)
WORDS = (
    "meter",
    "tariff",
    "device",
    "register",
    "consumer",
    "supplier",
    "network",
    "alert",
    "firmware",
    "hub",
    "prepayment",
    "credit",
    "debt",
    "security",
    "certificate",
    "gateway",
    "schedule",
    "reading",
    "profile",
    "threshold",
    "message",
    "service",
    "request",
    "response",
    "inventory",
    "commissioning",
    "install",
    "migration",
    "exit",
    "release",
    "testing",
    "interface",
    "specification",
    "notification",
    "data",
    "access",
    "party",
    "role",
    "switching",
    "settlement",
    "export",
    "import",
    "voltage",
    "balance",
)
NAMES = ("Ann Analyst", "Ben Builder", "Cara Chair", "Dev Liaison", "Eve Editor", "Fin Finder")
KINDS = {"edit": 70, "convert": 10, "rename": 6, "delete": 6, "side": 3}
"""How often each kind of commit is drawn (additions and restorations are scheduled)."""
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}


@dataclass
class Branch:
    """A line of commits: its files (path -> text) and its last commit's mark."""

    files: dict[str, str]
    mark: int | None = None


@dataclass
class Draft:
    """A Draft Proposal the history raised: its file and number, and whether it was converted."""

    path: str
    number: int
    converted: bool = False


@dataclass
class Side:
    """A side branch under way: the records only it edits, and its commits so far."""

    branch: Branch
    paths: list[str]
    made: int = 0


@dataclass
class History:
    """The fast-import stream being written, and what the history holds so far."""

    rng: random.Random
    commits: int
    additions: int
    main: Branch
    out: list[bytes] = field(default_factory=list)
    made: int = 0
    drafts: list[Draft] = field(default_factory=list)
    numbers: list[int] = field(default_factory=lambda: list(range(100, 1000)))
    restore: list[tuple[int, str, str]] = field(default_factory=list)
    """Files to add back: (the commit due, path, text)."""
    side: Side | None = None
    counts: Counter = field(default_factory=Counter)

    @property
    def day(self) -> dt.date:
        """The day the current commit's facts happen: the days spread over six years."""
        return FIRST_DAY + dt.timedelta(days=(LAST_DAY - FIRST_DAY).days * self.made // max(self.commits, 1))

    @property
    def busy(self) -> set[str]:
        return set(self.side.paths) if self.side else set()

    def commit(
        self, branch: Branch, kind: str, message: str, changes: dict[str, str | None], merge: int | None = None
    ) -> None:
        """One commit on ``branch``: each path's new text, or None to delete it."""
        self.made += 1
        self.counts[kind] += 1
        author = self.rng.choice(NAMES)
        who = f"{author} <{author.split()[0].lower()}@example.org> {1_500_000_000 + 60 * self.made} +0000"
        text = message.encode()
        self.out.append(
            b"commit refs/heads/work\nmark :%d\nauthor %s\ncommitter %s\ndata %d\n%s\n"
            % (self.made, who.encode(), who.encode(), len(text), text)
        )
        if branch.mark is not None:
            self.out.append(b"from :%d\n" % branch.mark)
        if merge is not None:
            self.out.append(b"merge :%d\n" % merge)
        for path, content in sorted(changes.items()):
            if content is None:
                self.out.append(f"D {path}\n".encode())
                del branch.files[path]
            else:
                data = content.encode()
                self.out.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
                branch.files[path] = content
        branch.mark = self.made

    def secmp(self) -> list[str]:
        return [p for p in self.main.files if re.search(r"/SECMP\d{4}\.yaml$", p) and p not in self.busy]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def draft_text(rng: random.Random, number: int, raised: dt.date) -> str:
    """A new Draft Proposal in its own words: a summary of its own is most of its bytes."""
    return (
        f"# DP{number:03d}: a Draft Proposal of the generated history.\n"
        f"id: DP{number:03d}\n"
        f"title: {sentence(rng, 6)}\n"
        f"proposer: {rng.choice(NAMES)}\n"
        f"raised: {raised.isoformat()}\n"
        f"summary: {sentence(rng, 40)} {rng.getrandbits(64):016x}.\n"
        "events:\n"
        "  - kind: csc-decision\n"
        f"    date: {raised.isoformat()}\n"
        "    outcome: further-development\n"
    )


def retitled(text: str, rng: random.Random) -> str:
    return re.sub(r"^title: .*$", f"title: {sentence(rng, 7)}", text, count=1, flags=re.MULTILINE)


def write_history(root: Path, records: int, commits: int, seed: int = 20) -> Path:
    """Write the repository at ``root`` (made afresh), check its last commit out; returns ``root/data``.
    ``write_history.counts`` then holds how many commits of each kind it made."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shipped = len(list((SHIPPED / "modifications").glob("*.yaml")))
    additions = max(0, min(records - shipped, (commits - 1) // 3, 800))
    start = write_register(root / "first", records - additions)
    files = {
        f"data/{p.relative_to(start).as_posix()}": p.read_text(encoding="utf-8") for p in sorted(start.rglob("*.yaml"))
    }
    shutil.rmtree(root / "first")
    history = History(random.Random(seed), commits, additions, Branch(files))
    history.commit(history.main, "first", "The register as it stood", dict(files))
    while history.made < commits:
        _next_commit(history)
    stream = b"".join(history.out)
    git = ["git", "-c", "commit.gpgsign=false", "-C", str(root)]
    env = {**os.environ, **GIT_ENV}
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True, env=env)
    subprocess.run([*git, "fast-import", "--quiet"], input=stream, check=True, env=env)
    subprocess.run([*git, "reset", "-q", "--hard", "work"], check=True, env=env)
    subprocess.run([*git, "branch", "-q", "-D", "work"], check=True, env=env)
    write_history.counts = dict(history.counts)  # type: ignore[attr-defined]
    return root / "data"


def _next_commit(history: History) -> None:
    """The next commit: what is scheduled (an addition, a restoration, a side branch's step) when
    it is due or the commits left are only just enough for it, else a kind drawn by ``KINDS``."""
    left = history.commits - history.made
    owed = history.additions - history.counts["add"]
    side_steps = 0 if history.side is None else 3 - history.side.made
    pressed = left <= owed + len(history.restore) + side_steps + 1  # a rename may schedule one more
    if owed and (pressed or history.counts["add"] < history.additions * history.made // history.commits):
        return _add(history)
    due = [item for item in history.restore if item[0] <= history.made or pressed]
    if due:
        history.restore.remove(due[0])
        return history.commit(history.main, "re-add", f"{Path(due[0][1]).stem} restored", {due[0][1]: due[0][2]})
    if history.side is not None and (pressed or history.rng.random() < 0.5):
        return _side_step(history)
    kind = history.rng.choices(list(KINDS), list(KINDS.values()))[0]
    if kind == "side" and history.side is None and left > len(history.restore) + owed + 5 and len(history.secmp()) > 2:
        history.side = Side(Branch(dict(history.main.files), history.main.mark), history.rng.sample(history.secmp(), 2))
        return _side_step(history)
    if kind == "convert" and _convert(history):
        return
    if kind == "rename" and _rename(history):
        return
    if kind == "delete" and _delete(history):
        return
    _edit(history)


def _add(history: History) -> None:
    number = history.numbers.pop(0)
    path = f"data/modifications/DP{number:03d}.yaml"
    history.drafts.append(Draft(path, number))
    history.commit(history.main, "add", f"DP{number:03d} raised", {path: draft_text(history.rng, number, history.day)})


def _side_step(history: History) -> None:
    """A side branch's commit (each rewords one of its records), or, after two, its merge."""
    side = history.side
    assert side is not None
    if side.made < 2:
        path = side.paths[side.made]
        side.made += 1
        history.commit(
            side.branch,
            "side",
            f"{Path(path).stem}: title reworded on a branch",
            {path: retitled(side.branch.files[path], history.rng)},
        )
        return
    history.side = None
    history.commit(
        history.main,
        "merge",
        "Merge the side branch",
        {path: side.branch.files[path] for path in side.paths},
        merge=side.branch.mark,
    )


def _open_drafts(history: History) -> list[Draft]:
    return [d for d in history.drafts if not d.converted and d.path in history.main.files]


def _convert(history: History) -> bool:
    drafts = _open_drafts(history)
    if not drafts:
        return False
    draft = history.rng.choice(drafts)
    draft.converted = True
    day = history.day.isoformat()
    text = history.main.files[draft.path] + (
        f"  - kind: csc-decision\n    date: {day}\n    outcome: ready-for-conversion\n"
        f"  - kind: converted\n    date: {day}\n"
    )
    history.commit(
        history.main, "convert", f"DP{draft.number:03d} converted to MP{draft.number:03d}", {draft.path: text}
    )
    return True


def _rename(history: History) -> bool:
    """DPnnn.yaml becomes MPnnnA.yaml, its id with it; half the time a new DPnnn comes later."""
    drafts = [
        d
        for d in _open_drafts(history)
        if d.path.endswith(f"/DP{d.number:03d}.yaml")
        and f"data/modifications/MP{d.number:03d}A.yaml" not in history.main.files
    ]
    if not drafts:
        return False
    draft = history.rng.choice(drafts)
    old, ident = draft.path, f"MP{draft.number:03d}A"
    draft.path, draft.converted = f"data/modifications/{ident}.yaml", True  # a Modification Proposal from the start
    text = history.main.files[old].replace(f"id: DP{draft.number:03d}", f"id: {ident}")
    text = re.sub(
        r"  - kind: csc-decision\n    date: (\S+)\n    outcome: further-development\n",
        r"  - kind: dcc-status\n    date: \1\n    group: no-assessment-requested\n    status: Raised again\n",
        text,
        count=1,
    )
    history.commit(
        history.main,
        "rename",
        f"DP{draft.number:03d} raised again as the alternative {ident}",
        {old: None, draft.path: text},
    )
    if history.counts["add"] < history.additions and history.rng.random() < 0.5:  # one of the additions
        history.additions -= 1
        history.restore.append(
            (history.made + history.rng.randrange(3, 30), old, draft_text(history.rng, draft.number, history.day))
        )
    return True


def _delete(history: History) -> bool:
    candidates = history.secmp()
    if not candidates:
        return False
    path = history.rng.choice(candidates)
    history.restore.append((history.made + history.rng.randrange(2, 40), path, history.main.files[path]))
    history.commit(history.main, "delete", f"{Path(path).stem} removed by mistake", {path: None})
    return True


def _edit(history: History) -> None:
    drafts = [d for d in history.drafts if d.path in history.main.files]
    candidates = history.secmp()
    if drafts and (history.rng.random() < 0.5 or not candidates):
        draft = history.rng.choice(drafts)
        status = (
            f"  - kind: dcc-status\n    date: {history.day.isoformat()}\n    group: no-assessment-requested\n"
            f"    status: No assessment requested ({history.rng.randrange(1000)})\n"
        )
        history.commit(
            history.main,
            "edit",
            f"{Path(draft.path).stem}: DCC status",
            {draft.path: history.main.files[draft.path] + status},
        )
        return
    path = history.rng.choice(candidates)
    history.commit(
        history.main,
        "edit",
        f"{Path(path).stem}: title reworded",
        {path: retitled(history.main.files[path], history.rng)},
    )


if __name__ == "__main__":  # pragma: no cover
    print(write_history(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
