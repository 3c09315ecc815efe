// Training step of `superion demo`; see demo_train.hpp.
#include "demo_train.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "device_trainer_backend.hpp"
#include "model_setup.hpp"
#include "mtp/basis_generator.hpp"
#include "mtp/mtp_evaluator.hpp"
#include "mtp/training_domain.hpp"
#include "trainer.hpp"
#include "training_set.hpp"

namespace superion::demo {

TrainResult train_mtp(const Dataset& train, const Dataset& test, const TrainOptions& o) {
  if (train.size() == 0) throw InputError("demo", 0, "no training configurations");
  int n_species = static_cast<int>(train.species.size());
  for (const auto& c : train.configs)
    for (int t : c.structure.types) n_species = std::max(n_species, t + 1);

  mtp::BasisOptions bo;
  bo.level = o.level;
  bo.species_count = n_species;
  bo.radial_basis_size = o.radial_basis_size;
  bo.max_dist = o.rcut;
  bo.min_dist = 0.5 * o.rcut;  // replaced below by the data's shortest distance
  Mtp model =
      mtp_from_basis(mtp::generate_basis(bo), n_species, bo.min_dist, o.rcut, o.radial_basis_size);
  init_radial_coefficients(model, o.seed);
  if (static_cast<int>(train.species.size()) == n_species) model.species_names = train.species;
  model.domain_min_distance = training_domain(train, n_species, o.rcut);

  LossWeights w;
  w.energy = o.energy_weight;
  w.force = o.force_weight;
  w.stress = o.stress_weight;
  TrainingSet set(train, o.rcut, w, "demo training set");
  if (!std::isfinite(set.min_distance()))
    throw InputError("demo", 0, "no atom pairs within the cutoff: cannot train");
  model.min_dist = 0.99 * set.min_distance();  // as `superion train --rmin auto` (MLIP-3)
  model.validate();
  set.cache_radial_basis(model.min_dist, model.radial_basis_size);
  const std::unique_ptr<TrainerBackend> backend = make_trainer_backend(o.device, model, set);

  TrainerOptions to;
  to.max_iter = o.max_iter;
  to.checkpoint_path = o.checkpoint;
  Trainer trainer(model, *backend, nullptr, to);
  const TrainerResult res = trainer.run();

  TrainResult r;
  r.model = res.model;
  r.iterations = res.iterations;
  r.stop_reason = res.stop_reason;
  r.seconds = res.seconds;
  const MtpEvaluator ev(r.model);
  r.train = evaluate_errors(ev, train);
  if (test.size() > 0) r.test = evaluate_errors(ev, test);
  return r;
}

}  // namespace superion::demo
