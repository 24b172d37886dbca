"""`mkdocs serve` rebuilds once per edit and never loops on its output."""
import os
import re
import socket
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.slow


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(log, pattern, count, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(re.findall(pattern, log.read_text())) >= count:
            return True
        time.sleep(0.25)
    return False


def test_one_edit_one_rebuild(project_copy):
    log = project_copy / "serve.log"
    port = free_port()
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr",
             f"127.0.0.1:{port}"], cwd=project_copy, stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    try:
        built = r"Documentation built"
        assert wait_for(log, r"Serving on", 1, 90), log.read_text()
        assert wait_for(log, built, 1, 5), log.read_text()
        module = (project_copy / "snippets" / "figures"
                  / "basic_algorithms_schedules.py")
        module.write_text(module.read_text() + "\n# edited\n")
        assert wait_for(log, built, 2, 60), log.read_text()
        time.sleep(8)  # a loop would have rebuilt again by now
        text = log.read_text()
        assert len(re.findall(built, text)) == 2, text
        assert "figures: built  basic_algorithms_schedules" in text
        assert re.search(r"figures: \d+ cached, 1 ran", text), text
    finally:
        proc.terminate()
        proc.wait(timeout=20)
