// External-program calculator: every evaluation writes the structure into a fresh scratch
// directory, runs the user's command template there and reads energy, forces and stress back.
//
// Specification (make_calculator): "command:TEMPLATE" or "command[OPTIONS]:TEMPLATE", e.g.
//   command:mpirun -np 16 vasp_std                        (POSCAR in, vasprun.xml/OUTCAR out)
//   command[copy=vasp_inputs]:mpirun vasp_std              (INCAR, KPOINTS, POTCAR copied in first)
//   command[copy=cp2k_in]:cp2k.ssmp -i in.inp               (CP2K: PROJECT-pos-1.xyz, -frc-1.xyz …)
//   command:python3 mycode.py {xyz} {out_xyz}               (extended XYZ in and out)
// One pair of surrounding quotes around TEMPLATE is removed. OPTIONS, comma-separated:
//   input=poscar|xyz|cfg[+…]   files to write (default: those named by placeholders, else POSCAR)
//   output=auto|xyz|cfg|vasprun|outcar|cp2k   result (auto: first present of output.xyz,
//                              output.cfg, vasprun.xml, OUTCAR, *-pos-1.xyz of a CP2K run read
//                              with io/cp2k.hpp; the input cell is used when CP2K wrote no .cell)
//   copy=DIR                   copy DIR's regular files into each scratch directory first
//   scratch=DIR                where scratch directories are made (default: the temp directory)
//   keep                       keep scratch directories after success (failures always keep them)
//   noscf                      skip the SCF convergence check (not recommended)
// Placeholders in TEMPLATE: {dir} scratch directory, {poscar} {xyz} {cfg} input files,
// {out_xyz} {out_cfg} expected output files, {natoms}, {index} (evaluation counter). Paths are
// absolute and shell-quoted when needed. The command runs with /bin/sh -c in the scratch
// directory, stdin /dev/null, stdout/stderr in stdout.txt/stderr.txt there.
//
// Batch form, "command-batch[OPTIONS]:TEMPLATE": one process labels a whole file, so a reference
// whose start-up is slow (a Python model, a DFT code with a restart) pays it once per batch. The
// structures are written together to input.xyz ({xyz}) and/or input.cfg ({cfg}); the program must
// write output.xyz ({out_xyz}) or output.cfg ({out_cfg}) with the same configurations in the same
// order, each with energy and forces (stress optional). A configuration it could not label is
// marked with the info key / feature converged=F (or lacks an energy): only that one fails.
// Extra option: batch=N, at most N structures per process (default: all given at once). {count}
// is the number of structures; {natoms} and POSCAR input do not apply.
//
// Checks, each a superion::Error naming the command and directory: non-zero exit status or a
// signal (with the stderr tail), no output file, output without energy or forces, a different
// atom count/species/positions than the input (atoms reordered, or a relaxation instead of a
// single point), and an unconverged electronic SCF in vasprun.xml/OUTCAR or CP2K's output
// (stdout, *.out) ("unconverged external calculation", calculators/scf_check.hpp). The first ionic
// step of the output is used: it is the one at the input geometry. Missing stress gives a zero
// virial with CalcResult::has_virial = false.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "calculators/calculator.hpp"

namespace superion {

struct CommandCalculatorOptions {
  std::string command_template;
  std::vector<std::string> inputs;  // "poscar", "xyz", "cfg"; empty = from placeholders
  std::string output = "auto";      // auto | xyz | cfg | vasprun | outcar | cp2k
  std::filesystem::path copy_from;  // empty = nothing to copy
  std::filesystem::path scratch_root;
  bool keep = false;
  bool check_scf = true;
  bool batch = false;          // command-batch: one process for many structures
  std::size_t batch_size = 0;  // batch=N (0 = all at once)
};

// Parses what follows "command" (or "command-batch", batch = true) in a calculator specification:
// "[OPTIONS]:TEMPLATE" or ":TEMPLATE".
CommandCalculatorOptions parse_command_spec(const std::string& rest, bool batch = false);

class CommandCalculator : public Calculator {
 public:
  explicit CommandCalculator(CommandCalculatorOptions o);
  std::string name() const override {
    return (o_.batch ? "command-batch:" : "command:") + o_.command_template;
  }
  CalcResult compute(const Structure& s) const override;
  std::vector<CalcOutcome> compute_many(const std::vector<Structure>& s) const override;
  std::size_t batch_size() const override { return o_.batch ? o_.batch_size : 1; }
  const CommandCalculatorOptions& options() const { return o_; }

 private:
  // A fresh scratch directory (mkdtemp) with the copy= files in it.
  std::filesystem::path make_scratch(long index) const;
  // The command line with the placeholders of `dir` filled in.
  std::string expand(const std::filesystem::path& dir, std::size_t natoms, long index,
                     std::size_t count) const;
  std::vector<CalcOutcome> compute_batch(const std::vector<Structure>& s) const;

  CommandCalculatorOptions o_;
  mutable std::atomic<long> counter_{0};
};

}  // namespace superion
