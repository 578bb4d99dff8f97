"""The console entry: no Pydantic plugin runs under the command line (``entry.NO_PYDANTIC_PLUGINS``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

PLUGIN = """
from pathlib import Path
import os

Path(os.environ["PLUGIN_MARKER"]).write_text("loaded")


class Plugin:
    def new_schema_validator(self, *args, **kwargs):
        return None, None, None


plugin = Plugin()
"""


def installed_plugin(folder: Path) -> Path:
    """A distribution in ``folder`` that registers a Pydantic plugin, as a package installed beside
    secstatus would; the plugin writes a file when Pydantic loads it."""
    folder.mkdir()
    (folder / "marking_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = folder / "marking_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: marking-plugin\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[pydantic]\nmarking = marking_plugin:plugin\n", encoding="utf-8")
    return folder


@pytest.mark.slow
def test_the_command_line_runs_no_pydantic_plugin(tmp_path: Path):
    site = installed_plugin(tmp_path / "site")
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    marker = env["PLUGIN_MARKER"] = str(tmp_path / "marker")
    elsewhere = subprocess.run(
        [sys.executable, "-c", "import pydantic\nclass M(pydantic.BaseModel):\n    x: int"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert elsewhere.returncode == 0 and Path(marker).exists(), "the plugin is installed and Pydantic runs it"
    Path(marker).unlink()
    run = subprocess.run(
        [sys.executable, "-m", "secstatus", "--data", "data", "validate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "files checked" in run.stderr and not Path(marker).exists()


@pytest.mark.slow
def test_the_console_entry_leaves_with_the_commands_status_and_all_its_output(tmp_path: Path, cli):
    """The entry ends the process the normal way (only what is still alive is frozen first): the
    exit status is the command's and everything it printed reaches the pipe, as in process."""
    broken = tmp_path / "data"
    (broken / "modifications").mkdir(parents=True)
    (broken / "modifications" / "SECMP0001.yaml").write_text("id: SECMP0001\nid: SECMP0001\n", encoding="utf-8")
    for args, status in (
        (["--data", str(ROOT / "data"), "list", "--as-at", "2019-04-30"], 0),
        (["--data", str(broken), "validate"], 1),
    ):
        process = subprocess.run([sys.executable, "-m", "secstatus", *args], cwd=ROOT, capture_output=True, text=True)
        expected = cli(*args)
        assert (process.returncode, process.stdout) == (status, expected.stdout)
        assert process.stdout or process.stderr
