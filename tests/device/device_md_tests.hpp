// Test bodies: MD on the device engine against the CPU engine (md/simulation.cpp), and the device
// engine's own guarantees (batched replicas, thread counts, canonical sampling, checkpoints that
// move between engines). Every suite runs on "cpu", "emu" and "gpu" (device_test_bodies.hpp);
// the "cpu" instance runs the same body on the CPU engine (comparisons with itself are exact).
// Bounds: emu is bit-identical to the CPU engine (checked with ==) and within 1e-9 Å after 1000
// NVE or Langevin steps; gpu within 1e-9 Å after 200 steps (FMA rounding grows chaotically in
// longer runs, docs/gpu.md).
#pragma once

#include <omp.h>

#include <cmath>
#include <cstdio>
#include <memory>

#include "core/units.hpp"
#include "device_md.hpp"
#include "device_test_bodies.hpp"
#include "io/formats.hpp"
#include "md_io_hooks.hpp"
#include "md_setup.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp_backend.hpp"
#include "test_util.hpp"

namespace superion::testing {

// Replicas of one setup on any engine: the CPU engine (one Simulation per replica) or DeviceMd.
class Replicas {
 public:
  virtual ~Replicas() = default;
  virtual void run(std::int64_t n) = 0;
  virtual std::vector<Vec3> positions(int r) = 0;
  virtual std::vector<Vec3> velocities(int r) = 0;
  virtual md::ThermoSample thermo(int r) = 0;
  virtual md::MdSnapshot snapshot(int r) = 0;
  virtual double dof(int r) = 0;
};

class CpuReplicas : public Replicas {
 public:
  CpuReplicas(const md::DeviceMdSetup& setup, const Structure& start,
              const std::vector<md::ReplicaSpec>& specs) {
    for (const auto& spec : specs) {
      md::SimulationConfig c;
      c.timestep = setup.timestep;
      c.temperature = spec.temperature;
      c.seed = spec.seed;
      c.max_temperature = spec.max_temperature;
      c.max_step_displacement = setup.max_step_displacement;
      auto sim = std::make_unique<md::Simulation>(
          spec.resume ? spec.resume->structure : start,
          std::make_unique<md::MtpCpuBackend>(setup.model, setup.skin, "mtp", setup.walls),
          md::make_thermostat(setup.thermostat, setup.tdamp), c);
      if (spec.resume) {
        if (!setup.freeze_rotation.empty())
          sim->set_constraint(md::make_rotation_freeze(
              spec.resume->structure, setup.freeze_rotation, &spec.resume->constraint_state));
        sim->restore(*spec.resume);
      } else {
        if (!setup.freeze_rotation.empty())
          sim->set_constraint(md::make_rotation_freeze(start, setup.freeze_rotation));
        sim->initialize_velocities(spec.temperature);
      }
      sims_.push_back(std::move(sim));
    }
  }
  void run(std::int64_t n) override {
    for (auto& s : sims_) s->run(n);
  }
  std::vector<Vec3> positions(int r) override { return sims_[r]->structure().positions; }
  std::vector<Vec3> velocities(int r) override { return sims_[r]->velocities(); }
  md::ThermoSample thermo(int r) override { return sims_[r]->thermo(); }
  md::MdSnapshot snapshot(int r) override { return sims_[r]->snapshot(); }
  double dof(int r) override { return sims_[r]->dof(); }

 private:
  std::vector<std::unique_ptr<md::Simulation>> sims_;
};

class DeviceReplicas : public Replicas {
 public:
  DeviceReplicas(md::DeviceKind kind, const md::DeviceMdSetup& setup, const Structure& start,
                 const std::vector<md::ReplicaSpec>& specs)
      : md_(kind, setup, start, specs) {}
  void run(std::int64_t n) override { md_.run(n); }
  std::vector<Vec3> positions(int r) override { return md_.positions(r); }
  std::vector<Vec3> velocities(int r) override { return md_.velocities(r); }
  md::ThermoSample thermo(int r) override { return md_.thermo(r); }
  md::MdSnapshot snapshot(int r) override { return md_.snapshot(r); }
  double dof(int r) override { return md_.dof(r); }

 private:
  md::DeviceMd md_;
};

inline std::unique_ptr<Replicas> make_replicas(const std::string& kind,
                                               const md::DeviceMdSetup& setup,
                                               const Structure& start,
                                               const std::vector<md::ReplicaSpec>& specs) {
  if (kind == "cpu") return std::make_unique<CpuReplicas>(setup, start, specs);
  return std::make_unique<DeviceReplicas>(engine_kind(kind), setup, start, specs);
}

inline double max_distance(const std::vector<Vec3>& a, const std::vector<Vec3>& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, norm(a[i] - b[i]));
  return a.size() == b.size() ? d : 1e300;
}

// The 37-atom Na9YZr3Cl24 cell with the published 4-species level-14 MTP (tests/data/shared, else
// ../shared).
struct MdSystem {
  md::DeviceMdSetup setup;
  Structure start;
};

inline bool load_nyzc(MdSystem& sys) {
  const auto pot = test_data("mtp/nyzc/fitted.mtp.2021.02.mtp");
  if (!std::filesystem::exists(pot)) return false;
  sys.setup.model = read_mtp(pot.string());
  sys.start = md::load_md_structure(SUPERION_SOURCE_DIR "/data/nyzc/nyzc37_eq600K.vasp", "auto",
                                    {"Na", "Y", "Zr", "Cl"}, sys.setup.model);
  return true;
}

// 2x2x2 Na3ClSO4 (72 atoms, 8 SO4) with the project's level-10 MTP (in the repository).
inline MdSystem na3clso4() {
  MdSystem sys;
  sys.setup.model = read_mtp(SUPERION_SOURCE_DIR "/tests/data/pso/na3clso4_level10.mtp");
  sys.start = md::make_supercell(
      md::load_md_structure(SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4/md_500K_strain+0.00.xyz",
                            "auto", {"Na", "Cl", "S", "O"}, sys.setup.model),
      {2, 2, 2});
  return sys;
}

class DeviceMdTest : public ::testing::TestWithParam<std::string> {
 protected:
  // Steps over which the engine is compared with the CPU engine.
  std::int64_t horizon(std::int64_t full) const {
    return bitwise(GetParam()) ? full : std::min<std::int64_t>(full, 200);
  }

  void expect_follows_cpu(const MdSystem& sys, const std::vector<md::ReplicaSpec>& specs,
                          std::int64_t steps, const std::string& what) {
    auto ref = make_replicas("cpu", sys.setup, sys.start, specs);
    auto got = make_replicas(GetParam(), sys.setup, sys.start, specs);
    ref->run(steps);
    got->run(steps);
    for (int r = 0; r < static_cast<int>(specs.size()); ++r) {
      const auto xr = ref->positions(r), xg = got->positions(r);
      const auto vr = ref->velocities(r), vg = got->velocities(r);
      const double dx = max_distance(xr, xg), dv = max_distance(vr, vg);
      const md::ThermoSample tr = ref->thermo(r), tg = got->thermo(r);
      std::printf(
          "%s, replica %d, %s vs cpu after %lld steps: max |dx| %.2e A, |dv| %.2e A/ps, "
          "T %.3f / %.3f K, conserved %.10f / %.10f eV\n",
          what.c_str(), r, GetParam().c_str(), static_cast<long long>(steps), dx, dv,
          tr.temperature_K, tg.temperature_K, tr.conserved_eV, tg.conserved_eV);
      EXPECT_LE(dx, 1e-9) << what;
      if (bitwise(GetParam())) {
        EXPECT_EQ(dx, 0.0) << what << ": positions not bit-identical";
        EXPECT_EQ(dv, 0.0) << what << ": velocities not bit-identical";
        EXPECT_EQ(tr.conserved_eV, tg.conserved_eV) << what;
        EXPECT_EQ(tr.pressure_GPa, tg.pressure_GPa) << what;
      }
    }
  }
};

TEST_P(DeviceMdTest, NveAndLangevinFollowTheCpuEngine) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  if (GetParam() == "cpu") GTEST_SKIP() << "the CPU engine is the reference of this comparison";
  MdSystem sys;
  if (!load_nyzc(sys)) GTEST_SKIP() << "shared reference data absent: mtp/nyzc";
  for (const char* th : {"none", "langevin"}) {
    sys.setup.thermostat = th;
    expect_follows_cpu(sys, {{600.0, 7, 5000.0}}, horizon(1000),
                       std::string("NYZC 37 atoms, ") + th);
  }
}

TEST_P(DeviceMdTest, NoseHooverAndCsvrFollowTheCpuEngine) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  if (GetParam() == "cpu") GTEST_SKIP() << "the CPU engine is the reference of this comparison";
  MdSystem sys;
  if (!load_nyzc(sys)) GTEST_SKIP() << "shared reference data absent: mtp/nyzc";
  for (const char* th : {"nose-hoover", "csvr"}) {
    sys.setup.thermostat = th;
    expect_follows_cpu(sys, {{600.0, 11, 5000.0}, {450.0, 12, 5000.0}}, horizon(200),
                       std::string("NYZC 37 atoms, ") + th);
  }
}

TEST_P(DeviceMdTest, FrozenRotationFollowsTheCpuEngine) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  if (GetParam() == "cpu") GTEST_SKIP() << "the CPU engine is the reference of this comparison";
  MdSystem sys = na3clso4();
  sys.setup.thermostat = "nose-hoover";
  sys.setup.freeze_rotation = "SO4";
  expect_follows_cpu(sys, {{300.0, 5, 3000.0}}, horizon(200), "Na3ClSO4 72 atoms, SO4 frozen");
}

TEST_P(DeviceMdTest, DomainWallRunFollowsTheCpuEngine) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  if (GetParam() == "cpu") GTEST_SKIP() << "the CPU engine is the reference of this comparison";
  MdSystem sys = na3clso4();
  io::ReadOptions ro;
  ro.species = {"Na", "Cl", "S", "O"};
  // Walls at the shortest distances of the 800 K data: a 1200 K run reaches them.
  sys.setup.walls = type_walls(
      domain_from_data(
          io::read_dataset(SUPERION_SOURCE_DIR "/data/reference/Na3ClSO4/md_800K_strain+0.00.xyz",
                           "auto", ro),
          1.0),
      ro.species);
  sys.setup.thermostat = "langevin";
  expect_follows_cpu(sys, {{1200.0, 3, 8000.0}}, horizon(200), "Na3ClSO4 72 atoms + domain walls");
  // The walls acted: the CPU engine's largest wall energy of the run is positive.
  md::DeviceMd probe(md::DeviceKind::kEmu, sys.setup, sys.start, {{1200.0, 3, 8000.0}});
  probe.run(horizon(200));
  probe.request_sample(false, false);
  std::int64_t step;
  double t;
  std::vector<md::ReplicaSample> s;
  ASSERT_TRUE(probe.next_sample(step, t, s, true));
  std::printf("largest wall energy of the run %.3e eV, largest violation %.3e A\n",
              s[0].max_wall_energy, s[0].max_violation);
}

TEST_P(DeviceMdTest, BatchedReplicaEqualsTheReplicaAlone) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  MdSystem sys = na3clso4();
  sys.setup.thermostat = "csvr";
  const std::vector<md::ReplicaSpec> specs{{300.0, 1, 0.0}, {400.0, 2, 0.0}, {500.0, 3, 0.0}};
  auto batch = make_replicas(GetParam(), sys.setup, sys.start, specs);
  batch->run(100);
  for (int r = 0; r < 3; ++r) {
    auto alone =
        make_replicas(GetParam(), sys.setup, sys.start, {specs[static_cast<std::size_t>(r)]});
    alone->run(100);
    EXPECT_EQ(max_distance(alone->positions(0), batch->positions(r)), 0.0) << "replica " << r;
    EXPECT_EQ(max_distance(alone->velocities(0), batch->velocities(r)), 0.0) << "replica " << r;
    EXPECT_EQ(alone->thermo(0).conserved_eV, batch->thermo(r).conserved_eV) << "replica " << r;
  }
}

TEST_P(DeviceMdTest, OneAndTwoThreadsGiveTheSameBits) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  if (GetParam() == "gpu") GTEST_SKIP() << "OpenMP threads do not run GPU kernels";
  MdSystem sys = na3clso4();
  sys.setup.thermostat = "langevin";
  const int before = omp_get_max_threads();
  std::vector<std::vector<Vec3>> x;
  for (int threads : {1, 2}) {
    omp_set_num_threads(threads);
    auto run = make_replicas(GetParam(), sys.setup, sys.start, {{600.0, 9, 0.0}, {700.0, 10, 0.0}});
    run->run(100);
    x.push_back(run->positions(1));
  }
  omp_set_num_threads(before);
  EXPECT_EQ(max_distance(x[0], x[1]), 0.0);
}

TEST_P(DeviceMdTest, CheckpointResumesOnTheOtherEngine) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  MdSystem sys = na3clso4();
  sys.setup.thermostat = "nose-hoover";
  sys.setup.freeze_rotation = "SO4";
  const std::int64_t n = bitwise(GetParam()) ? 100 : 50;
  TempDir dir;
  // Reference: 2n steps on each engine without interruption.
  auto cpu_full = make_replicas("cpu", sys.setup, sys.start, {{400.0, 21, 0.0}});
  cpu_full->run(2 * n);
  auto dev_full = make_replicas(GetParam(), sys.setup, sys.start, {{400.0, 21, 0.0}});
  dev_full->run(2 * n);
  // n steps on one engine, checkpoint file, n steps on the other.
  for (int direction = 0; direction < 2; ++direction) {
    const std::string first = direction == 0 ? "cpu" : GetParam(),
                      second = direction == 0 ? GetParam() : "cpu";
    auto a = make_replicas(first, sys.setup, sys.start, {{400.0, 21, 0.0}});
    a->run(n);
    const auto path = dir / ("c" + std::to_string(direction) + ".ckpt");
    md::save_checkpoint(path, a->snapshot(0), {});
    const md::MdSnapshot snap = md::load_checkpoint(path);
    md::ReplicaSpec spec{400.0, 21, 0.0};
    spec.resume = &snap;
    auto b = make_replicas(second, sys.setup, sys.start, {spec});
    b->run(n);
    auto& full = second == "cpu" ? cpu_full : dev_full;
    const double dx = max_distance(full->positions(0), b->positions(0));
    std::printf(
        "%s %lld steps -> checkpoint -> %s %lld steps: max |dx| vs an uninterrupted %s run %.2e "
        "A\n",
        first.c_str(), static_cast<long long>(n), second.c_str(), static_cast<long long>(n),
        second.c_str(), dx);
    if (bitwise(GetParam())) {
      EXPECT_EQ(dx, 0.0);
      EXPECT_EQ(max_distance(full->velocities(0), b->velocities(0)), 0.0);
      EXPECT_EQ(full->thermo(0).conserved_eV, b->thermo(0).conserved_eV);
    } else {
      EXPECT_LE(dx, 1e-9);
    }
  }
}

TEST_P(DeviceMdTest, AtomsTooCloseStopTheRun) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  MdSystem sys = na3clso4();
  sys.start.positions[1] = sys.start.positions[0] + Vec3{0.2, 0.0, 0.0};
  auto run = [&]() {
    auto r = make_replicas(GetParam(), sys.setup, sys.start, {{300.0, 1, 0.0}});
    r->run(1);
  };
  try {
    run();
    FAIL() << "no error for atoms 0.2 A apart";
  } catch (const md::SimulationError& e) {
    EXPECT_NE(std::string(e.what()).find("closer than"), std::string::npos) << e.what();
  }
}

// Long (label slow): canonical sampling of the thermostats on the device engine.
class DeviceMdCanonical : public DeviceMdTest {};

TEST_P(DeviceMdCanonical, TemperatureMeanAndVariance) {
  SUPERION_REQUIRE_ENGINE(GetParam());
  if (GetParam() == "cpu") GTEST_SKIP() << "the CPU engine's canonical tests: Canonical*, MdNyzc.*";
  MdSystem sys = na3clso4();
  const double T0 = 300.0;
  for (const char* th : {"csvr", "nose-hoover", "langevin"}) {
    sys.setup.thermostat = th;
    sys.setup.tdamp = 0.05;
    std::vector<md::ReplicaSpec> specs;
    for (int r = 0; r < 4; ++r) specs.push_back({T0, static_cast<std::uint64_t>(40 + r), 0.0});
    md::DeviceMd run(engine_kind(GetParam()), sys.setup, sys.start, specs);
    run.run(200);  // equilibration
    // Block means (50 steps) of every replica, and the variance of T over all samples.
    std::vector<double> blocks;
    double sum = 0, sum2 = 0;
    long n = 0;
    const double nf = run.dof(0);
    for (int b = 0; b < 12; ++b) {
      std::vector<double> per(specs.size(), 0.0);
      for (int k = 0; k < 10; ++k) {
        run.run(5);
        run.request_sample(false, false);
        std::int64_t step;
        double t;
        std::vector<md::ReplicaSample> s;
        while (run.next_sample(step, t, s, true))
          for (std::size_t r = 0; r < s.size(); ++r) {
            const double T = s[r].thermo.temperature_K;
            per[r] += T / 10;  // block = 50 steps
            sum += T;
            sum2 += T * T;
            ++n;
          }
      }
      for (double p : per) blocks.push_back(p);
    }
    const double mean = sum / n, var = sum2 / n - mean * mean;
    double bm = 0, bv = 0;
    for (double b : blocks) bm += b / blocks.size();
    for (double b : blocks) bv += (b - bm) * (b - bm) / (blocks.size() - 1);
    const double se = std::sqrt(bv / blocks.size());
    const double rel_var = var / (T0 * T0), expected = 2.0 / nf;
    std::printf(
        "%s %s: <T> = %.1f +- %.1f K (target %.0f), Var(T)/T^2 = %.4f (canonical 2/N_f = %.4f)\n",
        GetParam().c_str(), th, mean, se, T0, rel_var, expected);
    // Mean: within 4 standard errors of the block means (and 3 %); variance within 40 % of the
    // canonical value (480 correlated samples of 4 replicas; a velocity-scaling thermostat would
    // give ~0, no thermostat a value set by the potential energy exchange). Measured here: CSVR
    // 0.0100, Nosé–Hoover 0.0122, Langevin 0.0089 against 2/N_f = 0.0094 (the chain with a 50 fs
    // period samples a 72-atom crystal slowly).
    EXPECT_LT(std::fabs(mean - T0), std::max(4 * se, 1.0)) << th;
    EXPECT_LT(std::fabs(mean - T0), 0.03 * T0) << th;
    EXPECT_NEAR(rel_var / expected, 1.0, 0.40) << th;
  }
}

}  // namespace superion::testing
