"""The fork server's own protocol: a trial that a test stopped reading does not leak into the next.

Last round a migration trial's child ended on its own a moment before its kill was due; the kill
raised ProcessLookupError, that trial's exit line stayed unread, and every later trial read the
exit line before it (CI: 4 failures and 107 errors, all "no such file" for a CLI's output).
"""

from __future__ import annotations

import os

import pytest

from desktop.domain.model import ArchitectureMap, MapInfo
from desktop.store.document import write_new_file
from tests.document.crash_worker import _kill


def test_a_trial_left_unread_does_not_answer_for_the_next(fork_server, tmp_path):
    path = tmp_path / "map.distarch"
    write_new_file(path, ArchitectureMap(info=MapInfo(name="Protocol")))
    with pytest.raises(TimeoutError):  # the test stops reading before the child has even started
        fork_server.run(
            {"task": "cli", "args": ["score", str(path)], "out": "/dev/null", "err": "/dev/null"}, limit=0
        )
    result = fork_server.cli(["score", str(path)], tmp_path / "second")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Coherence score: 0.0 / 100")


def test_killing_a_child_that_has_already_ended_is_not_an_error():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    assert _kill(pid) is False
