#!/usr/bin/env bash
# Installs the Debian packages superion needs to build and test. Idempotent: skips apt when
# everything is already installed. Run as root (or with sudo available).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config
  libeigen3-dev libhdf5-dev libgtest-dev libgmock-dev libbenchmark-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libsymspg-dev zlib1g-dev
  python3 python3-numpy python3-h5py python3-matplotlib python3-ase
  python3-pymatgen python3-phonopy
  lammps liblammps-dev openmpi-bin pybind11-dev python3-dev python3-pytest
)

# Thrust/CUB for the emulated device backend (device/, superion_device_emu): the CCCL headers of
# the CUDA toolkit when it is installed, else Debian's packages.
if [ ! -e /usr/local/cuda/include/cccl/thrust/version.h ] && [ ! -e /usr/local/cuda/include/thrust/version.h ]; then
  PACKAGES+=(libthrust-dev libcub-dev)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
