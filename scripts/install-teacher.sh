#!/usr/bin/env bash
# Makes the CHGNet "teacher" venv at .venv-teacher: the pretrained universal potential CHGNet
# (model 0.3.0, weights inside the wheel, no network needed after install) with torch and ASE, at the
# exact versions the committed data/reference/*-chgnet were made with
# (scripts/teacher/requirements-lock.txt: chgnet 0.4.2, torch 2.15.0, ase 3.29.0, pymatgen ...).
# Only the teacher scripts (scripts/teacher/) need it; the build, the tests and the demo do not.
# The torch wheel from PyPI is the CUDA build (~6 GB with its nvidia-* wheels); the scripts use
# it on the CPU with one thread.
# Usage: scripts/install-teacher.sh [--force]      (PYTHON=python3.11 to choose the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-teacher
PYTHON=${PYTHON:-python3}
if [ "${1:-}" != "--force" ] && [ -x "$VENV/bin/python" ] &&
   "$VENV/bin/python" -c "import chgnet, torch, ase; assert chgnet.__version__ == '0.4.2' and torch.__version__.startswith('2.15.0')" 2>/dev/null; then
  echo "install-teacher: $VENV already has chgnet 0.4.2 and torch 2.15.0 (use --force to remake it)"
  exit 0
fi
"$PYTHON" -c 'import sys; assert sys.version_info[:2] == (3, 11), sys.version' 2>/dev/null ||
  echo "install-teacher: warning: the lock file was made with Python 3.11; $($PYTHON --version) may not find every pinned wheel" >&2
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q -r scripts/teacher/requirements-lock.txt
# The model must load offline from the wheel:
"$VENV/bin/python" - <<'PY'
import torch
torch.set_num_threads(1)
from chgnet.model import CHGNet
m = CHGNet.load(verbose=False)
print(f"install-teacher: CHGNet {m.version} loads ({sum(p.numel() for p in m.parameters())} parameters)")
PY
