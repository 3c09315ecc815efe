#!/usr/bin/env bash
# Installs the Python peers that tests compare against (PyPI): pymatgen-analysis-diffusion and
# MDAnalysis (reads our H5MD trajectories) in a virtual environment at .venv-peers. Idempotent;
# failure is not fatal (the peer tests then skip with a message).
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-peers
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import pymatgen.analysis.diffusion, MDAnalysis, h5py" 2>/dev/null; then
  echo "install-peers: pymatgen-analysis-diffusion and MDAnalysis already installed in $VENV"
  exit 0
fi
# MDAnalysis (with h5py, which its H5MD reader needs) first and separately: its failure must not stop the diffusion peer.
python3 -m venv "$VENV" && "$VENV/bin/pip" install -q MDAnalysis h5py \
  && echo "install-peers: installed MDAnalysis in $VENV" \
  || echo "install-peers: could not install MDAnalysis; the H5MD peer test will skip"
python3 -m venv "$VENV" && "$VENV/bin/pip" install -q pymatgen-analysis-diffusion \
  && echo "install-peers: installed pymatgen-analysis-diffusion in $VENV" \
  || echo "install-peers: could not install pymatgen-analysis-diffusion; peer tests will skip"
exit 0
