// `superion learn`: MLIP's learn-on-the-fly loop, closed by superion itself.
//
// Iteration k (folder OUT/iter_<k>/):
//   train  `superion train` on OUT/train_<k>.xyz (k = 0 from --init/--level, later from the
//          previous iteration's potential), a child process with its log and checkpoint;
//   als    the active set of the new potential over its training set (state.als);
//   md     MD replicas (temperatures × strains × copies) from the start structure, each graded
//          every N steps: configurations above the threshold are preselected, a grade above the
//          break stops that replica (md_grading.hpp);
//          converged when every replica ran the whole requested time with no grade above the
//          threshold: the loop ends with OUT/final.mtp;
//   select MLIP's select-add of the preselected configurations against the active set (at most
//          --max-new per iteration);
//   label  the selected configurations with the reference calculator (learn/labeling.hpp);
//   merge  OUT/train_<k+1>.xyz = train_<k> + labelled.
// Every stage commits its files before OUT/learn.json records it, so a killed run continues
// where it stopped (a training run from its checkpoint, labelling from its journal, MD replicas
// that had finished are kept). OUT/history.csv (and history.png with matplotlib) hold one row per
// iteration: training set size, configurations added, the largest grade, training errors, errors
// of the potential on the configurations it was about to learn (held out by construction), MD time
// reached.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace superion {

struct LearnOptions {
  std::string out;                      // run folder
  std::string train;                    // initial labelled configurations
  std::string valid;                    // optional fixed validation set (errors per iteration)
  std::vector<std::string> species;     // element symbols in MTP type order
  std::string init;                     // iteration 0 starts training from this .mtp …
  int level = 0;                        // … or from a new basis of this level
  std::vector<std::string> train_args;  // further `superion train` options
  std::string structure;                // MD start structure (first configuration of the file)
  std::array<int, 3> supercell{1, 1, 1};
  std::vector<double> temperatures{300.0};  // K
  std::vector<double> strains{0.0};         // isotropic linear strains (0.02 = +2 %)
  int replicas = 1;                         // copies per (temperature, strain)
  double time_ps = 10.0, timestep_ps = 0.001, tdamp_ps = 0.1;
  std::string thermostat = "csvr";
  std::uint64_t seed = 1;
  std::int64_t grade_every = 1;  // every step: early potentials fail within a few steps
  double grade_threshold = 2.0, grade_break = 10.0;
  std::string grade_mode = "nbh", grade_scope = "mlip";
  long max_new = 20;  // configurations added per iteration at most
  int max_iterations = 20;
  std::string calculator;  // reference (calculators/calculator.hpp)
  int attempts = 2;
  std::size_t label_batch = 0;
  int threads = 1;
  bool plots = true;
};

struct LearnResult {
  bool converged = false;
  int iterations = 0;  // iterations run in total (including resumed ones)
  std::string final_potential;
  std::string message;
};

LearnResult run_learn(const LearnOptions& options);

}  // namespace superion
