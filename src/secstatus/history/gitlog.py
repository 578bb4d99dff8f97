"""Git as the register's change record: what a commit range changed, in the register's words.

``changes`` compares the register at two points (a commit, or the working tree) file by file:
records added, removed or renamed, and every value that differs between the two parsed versions
of a record (``compare``: fields, events, assessments, planned dates, calendar days), plus the
stage transition a modification's events make. Each record is named by its type and id
(``release 2019-11``). ``history`` does the same for each commit that touched one record,
following renames. Git is run as a subprocess (``gitrun``: nothing the repository's
configuration names runs); its failures become ``GitError`` with a message that says what to do.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..domain.diagnostics import Refusal
from ..domain.events import event_words
from ..domain.model import RECORD_FOLDERS, Modification, Record, RecordType
from ..domain.timeline import State
from ..domain.timeline import history as fold_history
from ..register.intake import is_skipped
from ..register.load import load_file
from ..system import gitrun
from .compare import Difference, compare
from .walk import RegisterLog, log_args, parse_log


class GitError(Refusal, RuntimeError):
    """Git could not answer; the message says why and what to try."""


def git(repo: Path, *args: str) -> str:
    """Git's output; paths after ``--`` are literal (a file named ``[a].yaml`` is that file, not a
    pattern)."""
    done = gitrun.run(repo, *args)
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed")
    return done.stdout.decode("utf-8", "replace")


def repo_root(path: Path) -> Path:
    try:
        return Path(git(path, "rev-parse", "--show-toplevel").strip())
    except (GitError, FileNotFoundError):
        raise GitError(f"{path} is not inside a git repository") from None


def _is_shallow(repo: Path) -> bool:
    return git(repo, "rev-parse", "--is-shallow-repository").strip() == "true"


def resolve(repo: Path, ref: str) -> str:
    """The commit ``ref`` names, or a GitError saying how to get it."""
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except GitError:
        hint = " This clone is shallow: run 'git fetch --unshallow' (or fetch that ref)." if _is_shallow(repo) else ""
        raise GitError(f"unknown git ref '{ref}'.{hint} Give another with --base/--head.") from None


def default_base(repo: Path) -> str:
    """The merge base of HEAD with main (or origin/main)."""
    for ref in ("main", "origin/main"):
        try:
            target = resolve(repo, ref)
        except GitError:
            continue
        try:
            return git(repo, "merge-base", "HEAD", target).strip()
        except GitError:
            hint = (
                " This clone is shallow: run 'git fetch --unshallow' so the history reaches it."
                if _is_shallow(repo)
                else ""
            )
            raise GitError(f"HEAD and {ref} have no common commit.{hint} Give --base REF.") from None
    raise GitError("found neither 'main' nor 'origin/main' to compare with; give --base REF")


@dataclass
class Change:
    """What one file's change means for the register.

    ``record`` is the record as the register names it, its type first (``modification SECMP0058``,
    ``release 2019-11``); ``type`` and ``id`` are its parts. ``differences`` lists every value that
    differs (path, before, after), in JSON terms.
    """

    file: str
    record: str
    kind: str  # added | removed | modified | renamed, or code: a file that is not a record
    renamed_from: str | None = None
    events_added: list[str] = field(default_factory=list)
    events_removed: list[str] = field(default_factory=list)
    events_changed: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    stage: tuple[str, str] | None = None
    unreadable: bool = False
    type: str = ""
    id: str = ""
    differences: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["stage"] = {"before": self.stage[0], "after": self.stage[1]} if self.stage else None
        data["details"] = self.details()
        data["summary"] = self.summary()
        return data

    def summary(self) -> str:
        """One line: 'modification SECMP0058: implemented 27 June 2019 (Release → Closed)'."""
        text = f"{self.record}: {'; '.join(self.details()) or 'reformatted, no change in content'}"
        if self.stage:
            text += f" ({self.stage[0].title()} → {self.stage[1].title()})"
        return text

    def details(self) -> list[str]:
        """Each part of the change in words, without the record's id or its stage transition."""
        parts: list[str] = []
        if self.kind == "added":
            parts.append("new record")
        elif self.kind == "removed":
            parts.append("record removed")
        elif self.kind == "renamed":
            parts.append(f"file renamed from {self.renamed_from}")
        if self.unreadable:
            parts.append("the file does not load (run secstatus validate)")
        parts += self.events_added
        parts += [f"removed {e}" for e in self.events_removed]
        parts += [f"changed {e}" for e in self.events_changed]
        parts += self.fields
        return parts


def _record(raw: bytes | None, path: str) -> tuple[Record | None, bool]:
    """The record in ``raw`` (None when the file is absent); flags a file that does not load."""
    if raw is None:
        return None, False
    folder = _folder(path)
    if folder is None:
        return None, True
    record, _, _ = load_file(Path(path), folder.folder, path, raw, warnings=False)  # no positions to find
    return record, record is None


@functools.lru_cache(maxsize=4096)
def _folder(path: str) -> RecordType | None:
    """The record type of the file at ``path``, by the nearest record folder it is in."""
    return next((RECORD_FOLDERS[p] for p in reversed(Path(path).parts[:-1]) if p in RECORD_FOLDERS), None)


class Version:
    """One side of a record file's change: whether the file is there, the record it holds (None
    when it does not load) and, for a modification, its folded history's final state."""

    def __init__(self, raw: bytes | None, path: str):
        self.present = raw is not None
        self.record, self.unreadable = _record(raw, path)
        self._final: State | None = None

    @classmethod
    def loaded(cls, record: Record) -> Version:
        """The version a record already loaded from the same bytes stands for."""
        version = cls(None, "")
        version.present, version.record = True, record
        return version

    @property
    def final(self) -> State:
        if self._final is None:
            assert isinstance(self.record, Modification), "only a modification has a stage"
            self._final = fold_history(self.record).final
        return self._final


def describe(old_raw: bytes | None, new_raw: bytes | None, old_path: str, new_path: str) -> Change:
    """The change from one version of a record file to another, in the register's words."""
    return describe_versions(Version(old_raw, old_path), Version(new_raw, new_path), old_path, new_path)


def describe_versions(before: Version, after: Version, old_path: str, new_path: str) -> Change:
    """``describe`` for versions already read (a history reads each version once, not once per
    commit that shows it)."""
    old, new = before.record, after.record
    kind = (
        "added"
        if not before.present
        else "removed"
        if not after.present
        else "renamed"
        if old_path != new_path
        else "modified"
    )
    path = new_path if after.present else old_path
    record_type = _folder(path)
    ident = _record_id(after if new is not None else before, path, record_type)
    words = record_type.says(ident) if record_type else ident
    change = Change(
        file=path,
        record=f"{record_type.label} {words}" if record_type else words,
        kind=kind,
        renamed_from=old_path if kind == "renamed" else None,
        unreadable=before.unreadable or after.unreadable,
        type=record_type.name if record_type else "",
        id=ident,
    )
    if change.unreadable:
        return change  # a side that does not load says nothing about events or fields
    if old is not None and new is not None:
        _add_differences(change, compare(old, new))
    elif isinstance(record := new or old, Modification):
        events = record.events
        (change.events_added if new else change.events_removed).extend(event_words(e) for e in events)
    if isinstance(old, Modification) or isinstance(new, Modification):
        _stage_change(change, before, after)
    return change


def _record_id(version: Version, path: str, record_type: RecordType | None) -> str:
    """The id ``history`` takes for the record: its file's, a converted Draft Proposal by its MP number."""
    record = version.record
    if isinstance(record, Modification):
        return version.final.id
    if record is not None and record_type is not None and record_type.file_id is not None:
        return record_type.file_id(record)
    return Path(path).stem


def _add_differences(change: Change, differences: list[Difference]) -> None:
    """File each difference: events by what happened to them, anything else as a field."""
    for difference in differences:
        change.differences.extend(difference.leaves)
        if difference.field != "events":
            change.fields.append(difference.words)
        elif difference.action == "added":
            change.events_added.append(difference.phrase)
        elif difference.action == "removed":
            change.events_removed.append(difference.phrase)
        else:
            change.events_changed.append(difference.phrase)


def _stage_change(change: Change, before: Version, after: Version) -> None:
    """The stage transition a modification's events make; a new record says its title and stage."""
    old, new = before.record, after.record
    stage_before = before.final.stage if isinstance(old, Modification) else None
    stage_after = after.final.stage if isinstance(new, Modification) else None
    if stage_before and stage_after and stage_before != stage_after:
        change.stage = (stage_before, stage_after)
    elif stage_after and not stage_before and isinstance(new, Modification):
        change.fields.insert(0, f"'{new.title}' in {stage_after.title()}")


def data_prefix(repo: Path, data_root: Path) -> str:
    return os.path.relpath(data_root.resolve(), repo.resolve())


def changes(data_root: Path, base: str | None, head: str | None) -> tuple[str, str, list[Change]]:
    """Every change from ``base`` (default: merge base with main) to ``head`` (default: the
    working tree, untracked files included): each record file the loader reads, in the
    register's words, then every other file of the repository, as code to review (``code_change``)."""
    repo = repo_root(data_root)
    base_sha = resolve(repo, base) if base else default_base(repo)
    head_sha = resolve(repo, head) if head else None
    entries = _name_status(git(repo, "diff", "--name-status", "-M", "-z", base_sha, *([head_sha] if head_sha else [])))
    if head_sha is None:
        untracked = git(repo, "ls-files", "--others", "--exclude-standard", "-z")
        entries += [("A", p, p) for p in untracked.split("\0") if p]
    records, files = _split(entries, RecordFiles(repo, data_root))
    out = []
    with Blobs(repo) as blob:
        for status, old_path, new_path in sorted(records, key=lambda e: e[2]):
            old_raw = None if status == "A" else blob(base_sha, old_path)
            new_raw = None if status == "D" else _read(blob, head_sha, new_path)
            out.append(describe(old_raw, new_raw, old_path, new_path))
    words = CodeWords(repo, data_root)
    out += [
        code_change(status, old_path, new_path, words)
        for status, old_path, new_path in sorted(files, key=lambda e: e[2])
    ]
    return base_sha, head_sha or "working tree", out


class RecordFiles:
    """Whether a path of the repository is a record file the loader reads: a ``.yaml`` file
    directly in a record folder of ``data/`` that the loader does not skip (``intake.is_skipped``)."""

    def __init__(self, repo: Path, data_root: Path):
        self.prefix = Path(data_prefix(repo, data_root)).parts  # () where data/ is the repository

    def __call__(self, path: str) -> bool:
        parts = Path(path).parts
        if len(parts) != len(self.prefix) + 2 or parts[: len(self.prefix)] != self.prefix:
            return False
        folder, name = parts[-2:]
        return folder in RECORD_FOLDERS and name.endswith(".yaml") and name != ".yaml" and not is_skipped(name)


Entry = tuple[str, str, str]


def _split(entries: list[Entry], is_record: RecordFiles) -> tuple[list[Entry], list[Entry]]:
    """The entries about record files, and the others; a rename between a record file and another
    file is a removal and an addition."""
    records: list[Entry] = []
    files: list[Entry] = []
    for status, old_path, new_path in entries:
        if status == "R" and is_record(old_path) != is_record(new_path):
            pairs = [("D", old_path, old_path), ("A", new_path, new_path)]
        else:
            pairs = [(status, old_path, new_path)]
        for entry in pairs:
            (records if is_record(entry[2]) else files).append(entry)
    return records, files


def _name_status(listing: str) -> list[tuple[str, str, str]]:
    """Parse ``git diff --name-status -z``: (status letter, old path, new path)."""
    fields = listing.split("\0")
    out, i = [], 0
    while i < len(fields) and fields[i]:
        status = fields[i][0]
        if status in "RC":
            out.append((status if status == "R" else "A", fields[i + 1], fields[i + 2]))
            i += 3
        else:
            out.append((status, fields[i + 1], fields[i + 1]))
            i += 2
    return out


def _blob(repo: Path, ref: str, path: str) -> bytes | None:
    """The file at ``path`` in commit ``ref``; None where it does not exist there."""
    done = gitrun.run(repo, "cat-file", "blob", f"{ref}:{path}")
    return done.stdout if done.returncode == 0 else None


BATCH = 1000
"""Blob ids asked of ``cat-file`` at once: 41 bytes each, well within a pipe's 64 KiB."""


class Blobs:
    """Files as they were in commits, read through one ``git cat-file --batch`` process rather
    than a git process per file (a record's history reads two files per commit).

    ``blobs(ref, path)`` is the file's bytes, or None where the commit has no such file. A path
    holding a line break cannot be asked on the process's line-based input, whatever it would
    say there: it gets a process of its own (``_blob``).
    """

    def __init__(self, repo: Path):
        self.repo = repo
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Blobs:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __call__(self, ref: str, path: str) -> bytes | None:
        if "\n" in path or "\r" in path or "\n" in ref:
            return _blob(self.repo, ref, path)
        return self._ask(f"{ref}:{path}", ref, path)

    def blobs(self, wanted: list[tuple[str, str, str]]) -> list[bytes | None]:
        """The blobs named by id, each with the commit and path an error names: ``(blob id, commit,
        path)``. They are asked for in batches, each written at once and then read: a batch's
        questions fit in the pipe, so writing them never waits on git's answers."""
        out: list[bytes | None] = []
        for start in range(0, len(wanted), BATCH):
            batch = wanted[start : start + BATCH]
            self._write("".join(f"{blob_id}\n" for blob_id, _, _ in batch))
            out += [self._answer(commit, path) for _, commit, path in batch]
        return out

    def _ask(self, name: str, ref: str, path: str) -> bytes | None:
        self._write(f"{name}\n")
        return self._answer(ref, path)

    def _write(self, questions: str) -> None:
        questions_in, _ = self._pipes()
        try:
            questions_in.write(questions.encode("utf-8", "surrogateescape"))
            questions_in.flush()
        except BrokenPipeError:
            pass  # git has stopped: the empty answer says so

    def _answer(self, ref: str, path: str) -> bytes | None:
        _, answers = self._pipes()
        header = answers.readline().split()
        if not header:
            raise self._stopped(ref, path)
        if len(header) != 3:  # '<name> missing' or '<name> ambiguous'
            return None
        body = answers.read(int(header[2]) + 1)[:-1]  # and its LF
        return body if header[1] == b"blob" else None

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        """The process's input and output, the process started when first needed."""
        process = self._started()
        assert process.stdin is not None and process.stdout is not None, "started with both pipes"
        return process.stdin, process.stdout

    def _started(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            self._errors = tempfile.TemporaryFile()  # read only if git stops; a pipe could fill and block it
            self._process = gitrun.start(
                self.repo, "cat-file", "--batch", stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors
            )
        return self._process

    def _stopped(self, ref: str, path: str) -> GitError:
        """Git stopped instead of answering: a partial clone lacking the file, which git may not
        fetch (``gitrun``), or a damaged repository."""
        self._started().wait()  # started: it gave no answer
        self._errors.seek(0)
        why = self._errors.read().decode("utf-8", "replace").strip().splitlines()
        self.close()
        return GitError(
            f"git could not read {path} at {ref[:12]}"
            + (f": {why[-1]}" if why else "")
            + ". secstatus lets git fetch nothing: a partial clone (git clone --filter) must be "
            "cloned again without --filter"
        )

    def close(self) -> None:
        if self._process is not None:
            questions_in, answers = self._pipes()
            with contextlib.suppress(BrokenPipeError):
                questions_in.close()
            self._process.wait()
            answers.close()
            self._errors.close()
            self._process = None


def _read(blob: Blobs, ref: str | None, path: str) -> bytes | None:
    if ref is not None:
        return blob(ref, path)
    try:
        return (blob.repo / path).read_bytes()
    except FileNotFoundError:
        return None


@dataclass
class Commit:
    sha: str
    date: str
    author: str
    subject: str
    change: Change

    def as_dict(self) -> dict[str, Any]:
        return {
            "commit": self.sha,
            "date": self.date,
            "author": self.author,
            "subject": self.subject,
            "change": self.change.as_dict(),
            "summary": self.change.summary(),
        }


def history(data_root: Path, path: Path, blobs: Blobs | None = None) -> list[Commit]:
    """The commits that touched the record at ``path``, newest first, following renames
    (``Histories``); its files are read through ``blobs`` when given, else a reader of its own."""
    if blobs is None:
        with Blobs(repo_root(data_root)) as own:
            return Histories(data_root, own)(path)
    return Histories(data_root, blobs)(path)


class Histories:
    """Each record's commits, newest first, in the register's words, from one walk of the
    register's history (``walk``: one ``git log`` over the data folder, renames followed) and its
    files read through ``blobs``, each version once: the cost grows with commits plus records,
    not their product.

    Merge commits are left out, as ``git log --follow`` leaves them out.
    """

    def __init__(self, data_root: Path, blobs: Blobs, register=None):
        self.data_root, self.blobs, self.register = data_root, blobs, register
        self._log: RegisterLog | None = None
        self._failed: GitError | None = None
        self._versions: dict[tuple[str, str], Version] = {}

    def __call__(self, path: Path) -> list[Commit]:
        """The commits that made the record at ``path``; a GitError when git cannot say."""
        repo, log = self.blobs.repo, self._walked()
        rel = os.path.relpath(path.resolve(), repo.resolve())
        rel = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")  # as git's output is read
        lineage = log.lineage(rel)
        self._read(
            [
                (blob, log.commits[change.commit].sha, path)
                for change in lineage
                for blob, path in ((change.old_blob, change.old_path), (change.new_blob, change.new_path))
            ]
        )
        commits = []
        for change in lineage:
            made = log.commits[change.commit]
            before = self._version(change.old_blob, change.old_path)
            after = self._version(change.new_blob, change.new_path)
            commits.append(
                Commit(
                    made.sha,
                    made.date,
                    made.author,
                    made.subject,
                    describe_versions(before, after, change.old_path, change.new_path),
                )
            )
        return commits

    def _walked(self) -> RegisterLog:
        """The one walk, made on the first question (a GitError then is every question's answer)."""
        if self._log is None:
            if self._failed is not None:
                raise GitError(str(self._failed))
            repo = self.blobs.repo
            try:
                self._log = parse_log(git(repo, *log_args(data_prefix(repo, self.data_root))))
            except GitError as exc:
                self._failed = exc
                raise
            self._seed(self._log)
        return self._log

    def _seed(self, log: RegisterLog) -> None:
        """The ``register``'s modifications as loaded stand for the versions with their bytes (a
        blob id is the hash of a file's bytes): the latest version of most records is not read
        from git nor parsed again."""
        if self.register is None or not log.commits:
            return
        digest = hashlib.sha256 if len(log.commits[0].sha) == 64 else hashlib.sha1  # the repository's object format
        for mod in self.register.modifications.values():
            source = self.register.source_of(mod)
            raw = source.text.encode("utf-8")
            blob_id = digest(b"blob %d\0" % len(raw) + raw).hexdigest()
            self._versions.setdefault((blob_id, source.path.parent.name), Version.loaded(mod))

    def _read(self, wanted: list[tuple[str | None, str, str]]) -> None:
        """Read and parse, in one batch, the versions a lineage shows that no earlier one did."""
        fresh = {
            _version_key(blob, path): (blob, commit, path)
            for blob, commit, path in wanted
            if blob is not None and _version_key(blob, path) not in self._versions
        }
        found = self.blobs.blobs(list(fresh.values()))
        for (key, (_, _, path)), raw in zip(fresh.items(), found, strict=True):
            self._versions[key] = Version(raw, path)

    def _version(self, blob_id: str | None, path: str) -> Version:
        """The record a blob holds, read and parsed once for every commit and record that show it."""
        return Version(None, path) if blob_id is None else self._versions[_version_key(blob_id, path)]


def _version_key(blob_id: str, path: str) -> tuple[str, str]:
    """A version's blob, and the record folder that says how to read it."""
    folder = _folder(path)
    return blob_id, folder.folder if folder else ""


CODE_VERBS = {"A": "added", "D": "removed", "M": "changed", "T": "changed"}


class CodeWords:
    """Why a file that is not a record matters, for the reviewer: by its place beside ``data/``
    (its ``templates/``, ``requirements.txt``, ``.pre-commit-config.yaml``, ``.github/``) or its name."""

    def __init__(self, repo: Path, data_root: Path):
        top = os.path.relpath(data_root.parent.resolve(), repo.resolve())
        self.top = "" if top == "." else top + "/"
        self.data = data_prefix(repo, data_root) + "/"

    def __call__(self, path: str) -> tuple[str, str]:
        """(what the file is, why it matters)."""
        name = Path(path).name
        if path.startswith(self.top + "templates/"):
            return "template", "it runs when a report or the site is rendered"
        if path == self.top + "requirements.txt":
            return "file", "it chooses the secstatus that checks the register"
        if path == self.top + ".pre-commit-config.yaml":
            return "file", "its hooks run on the maintainers' machines at every commit"
        if path.startswith(self.top + ".github/"):
            return "file", "GitHub reads it, and runs its workflows on every pull request and merge"
        if name == ".gitignore":
            return "file", "it decides which files git keeps, and so which records the register sees"
        if name == ".gitattributes":
            return "file", "it tells git how to read and show files"
        if path.startswith(self.data):
            return "file", "it is in data/ but is not a record file secstatus reads"
        return "file", "it is not a record"


def code_change(status: str, old_path: str, path: str, words: CodeWords) -> Change:
    """A changed file that is not a record, as a change of kind "code": listed for review as
    code, whatever it is, so a pull request cannot change what checks, renders or stores the
    register out of the reviewer's sight."""
    what, why = words(path)
    verb = f"renamed from {old_path}" if status == "R" else CODE_VERBS.get(status, "changed")
    return Change(
        file=path,
        record=path,
        kind="code",
        renamed_from=old_path if status == "R" else None,
        fields=[f"{what} {verb}: {why}; review it as code"],
    )
