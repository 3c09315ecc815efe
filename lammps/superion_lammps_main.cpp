// superion-lammps: the LAMMPS executable (same command line and input language as `lmp`) with
// superion's pair styles `mtp` and `mlip` added to the style table before the input runs.
//   mpirun -np N superion-lammps -in in.lmp [any other lmp option]
// Debian's LAMMPS is built without the PLUGIN package, so the styles cannot be loaded into `lmp`;
// this program links the same liblammps and registers them itself.
#include <mpi.h>

#include <cstdio>
#include <cstring>
#include <exception>

#include "input.h"
#include "lammps.h"
#include "pair_superion_mtp.hpp"

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int status = 0;
  // LAMMPS prints its help (-h) and exits inside its constructor, before the styles are added:
  // say first what this program adds.
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  for (int k = 1; k < argc && rank == 0; ++k)
    if (std::strcmp(argv[k], "-h") == 0 || std::strcmp(argv[k], "-help") == 0) {
      std::fputs(superion::lammps::pair_styles_help(), stdout);
      std::fflush(stdout);
      break;
    }
  try {
    // LAMMPS_NS::LAMMPS parses the command line (-in, -log, -var, -screen, …) like lmp.
    LAMMPS_NS::LAMMPS lmp(argc, argv, MPI_COMM_WORLD);
    superion::lammps::register_pair_styles(&lmp);
    lmp.input->file();
  } catch (const std::exception& e) {
    // liblammps is built with exceptions: error->all/one print "ERROR: …" and then throw.
    int size = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    std::fflush(stdout);
    if (size > 1) MPI_Abort(MPI_COMM_WORLD, 1);  // other ranks may not have failed
    status = 1;
  }
  MPI_Finalize();
  return status;
}
