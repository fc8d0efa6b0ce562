"""Two CPU processes under torchrun (gloo), as the daemon starts data-parallel training."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def torchrun_two(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    """`python -m torch.distributed.run` over `arguments` with two processes; output captured as text."""
    return subprocess.run(
        # --standalone: a rendezvous on this machine at a port torchrun picks free, as the daemon runs it.
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
