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


IN_REPO = SOURCE / "tests" / "data" / "shared"  # the copies carried in the repository (its README)


def shared(relpath):
    """The repository's copy of ../shared/data/relpath (tests/data/shared), else ../shared/data,
    or skip the test visibly when neither exists."""
    for p in (IN_REPO / relpath, SHARED / relpath):
        if p.exists():
            return p
    pytest.skip("reference data absent (tests/data/shared, ../shared/data): %s" % relpath)
