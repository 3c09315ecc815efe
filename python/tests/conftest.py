"""Shared fixtures of the Python tests: where the repository, ../shared/data and the superion
executable are (set by ctest; defaults for running pytest by hand from the build tree)."""
import os
import pathlib

import pytest

SOURCE = pathlib.Path(os.environ.get("SUPERION_SOURCE_DIR",
                                     pathlib.Path(__file__).resolve().parents[2]))
SHARED = pathlib.Path(os.environ.get("SUPERION_SHARED_DATA", SOURCE.parent / "shared" / "data"))
NA3CLSO4_POT = SOURCE / "tests" / "data" / "pso" / "na3clso4_level10.mtp"
NA3CLSO4_MD = SOURCE / "data" / "reference" / "Na3ClSO4" / "md_500K_strain+0.00.xyz"
NA3CLSO4_SPECIES = ["Na", "Cl", "S", "O"]


def shared(relpath):
    """Path in ../shared/data, or skip the test visibly when it is absent."""
    p = SHARED / relpath
    if not p.exists():
        pytest.skip("shared reference data absent: %s" % p)
    return p
