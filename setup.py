"""setuptools glue for `pip install .`: configures the repository's CMake project for the
interpreter that runs pip, builds the extension module _superion and the superion executable, and
puts both into the package (superion/_superion*.so, superion/bin/superion). The build directory
is build-pip/ (kept, so a second install reuses it)."""
import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = ROOT / "build-pip"
        args = [
            "cmake", "-S", str(ROOT), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
            "-DPython_EXECUTABLE=" + sys.executable, "-DSUPERION_PYTHON=ON",
            "-DSUPERION_BUILD_TESTS=OFF", "-DSUPERION_BUILD_BENCH=OFF", "-DSUPERION_LAMMPS=OFF",
            "-DSUPERION_CUDA=OFF",
        ]
        try:
            import pybind11
            args.append("-Dpybind11_DIR=" + pybind11.get_cmake_dir())
        except ImportError:
            pass  # Debian's pybind11-dev is found by CMake itself
        if shutil.which("ccache"):
            args.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
        subprocess.check_call(args)
        jobs = str(os.cpu_count() or 1)
        subprocess.check_call(["cmake", "--build", str(build), "-j", jobs, "--target", "_superion",
                               "superion"])
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        built = next((build / "python" / "superion").glob("_superion*.so"))
        shutil.copy2(built, target)
        bindir = target.parent / "bin"
        bindir.mkdir(exist_ok=True)
        shutil.copy2(build / "superion", bindir / "superion")


setup(ext_modules=[Extension("superion._superion", sources=[])], cmdclass={"build_ext": CMakeBuild})
