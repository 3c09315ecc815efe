// Particle-swarm structure search (see pso.hpp).
#include "pso/pso.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"
#include "core/progress.hpp"
#include "pso/fingerprint.hpp"
#include "pso/symmetry.hpp"

namespace superion {
namespace {

struct Particle {
  PsoCandidate current;
  std::vector<double> velocity;
  PsoCandidate best;
  bool has = false;
};

// Generalized coordinates: 9 cell components, then 3 fractional coordinates per free atom and per
// cluster centre (the cluster's first atom).
std::vector<int> free_atoms(const PsoCandidate& c) {
  std::vector<bool> in_cluster(c.structure.size(), false);
  for (const auto& cl : c.clusters)
    for (int i : cl) in_cluster[static_cast<std::size_t>(i)] = true;
  std::vector<int> out;
  for (std::size_t i = 0; i < in_cluster.size(); ++i)
    if (!in_cluster[i]) out.push_back(static_cast<int>(i));
  return out;
}

std::vector<double> coordinates(const PsoCandidate& c) {
  std::vector<double> x;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) x.push_back(c.structure.cell[a][b]);
  const Mat3 inv = inverse(c.structure.cell);
  auto push = [&](const Vec3& r) {
    const Vec3 f = to_fractional(r, inv);
    x.push_back(f.x), x.push_back(f.y), x.push_back(f.z);
  };
  for (int i : free_atoms(c)) push(c.structure.positions[static_cast<std::size_t>(i)]);
  for (const auto& cl : c.clusters)
    push(c.structure.positions[static_cast<std::size_t>(cl.front())]);
  return x;
}

Mat3 small_rotation(std::mt19937_64& rng, double max_angle) {
  std::normal_distribution<double> n(0, 1);
  std::uniform_real_distribution<double> u(0, max_angle);
  Vec3 k{n(rng), n(rng), n(rng)};
  k *= 1.0 / norm(k);
  const double th = u(rng), c = std::cos(th), s = std::sin(th), v = 1 - c;
  Mat3 r;
  r[0][0] = c + k.x * k.x * v, r[0][1] = k.x * k.y * v - k.z * s, r[0][2] = k.x * k.z * v + k.y * s;
  r[1][0] = k.y * k.x * v + k.z * s, r[1][1] = c + k.y * k.y * v, r[1][2] = k.y * k.z * v - k.x * s;
  r[2][0] = k.z * k.x * v - k.y * s, r[2][1] = k.z * k.y * v + k.x * s, r[2][2] = c + k.z * k.z * v;
  return r;
}

// Applies coordinates x to a copy of `c` (cluster bodies rotated by `rot`).
PsoCandidate with_coordinates(const PsoCandidate& c, const std::vector<double>& x,
                              std::mt19937_64& rng, double angle) {
  PsoCandidate out = c;
  Mat3 cell;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) cell[a][b] = x[static_cast<std::size_t>(3 * a + b)];
  const double v_old = c.structure.volume(), v_new = std::fabs(det(cell));
  if (!(v_new > 0.5 * v_old && v_new < 2.0 * v_old)) cell = c.structure.cell;  // reject wild cells
  out.structure.cell = cell;
  std::size_t p = 9;
  for (int i : free_atoms(c)) {
    out.structure.positions[static_cast<std::size_t>(i)] =
        to_cartesian({x[p], x[p + 1], x[p + 2]}, cell);
    p += 3;
  }
  for (const auto& cl : c.clusters) {
    const Vec3 centre = to_cartesian({x[p], x[p + 1], x[p + 2]}, cell);
    p += 3;
    const Mat3 r = small_rotation(rng, angle);
    const Vec3 c0 = c.structure.positions[static_cast<std::size_t>(cl.front())];
    for (int i : cl) {
      const Vec3 b = c.structure.positions[static_cast<std::size_t>(i)] - c0;
      const Vec3 rb{r[0][0] * b.x + r[0][1] * b.y + r[0][2] * b.z,
                    r[1][0] * b.x + r[1][1] * b.y + r[1][2] * b.z,
                    r[2][0] * b.x + r[2][1] * b.y + r[2][2] * b.z};
      out.structure.positions[static_cast<std::size_t>(i)] = centre + rb;
    }
  }
  return out;
}

nlohmann::json to_json(const PsoCandidate& c) {
  nlohmann::json j;
  for (int a = 0; a < 3; ++a)
    j["cell"].push_back({c.structure.cell[a][0], c.structure.cell[a][1], c.structure.cell[a][2]});
  for (const Vec3& r : c.structure.positions) j["positions"].push_back({r.x, r.y, r.z});
  j["types"] = c.structure.types;
  j["symbols"] = c.structure.species_symbols;
  j["clusters"] = c.clusters;
  j["enthalpy_per_atom"] = c.enthalpy_per_atom;
  j["energy_per_atom"] = c.energy_per_atom;
  j["generation"] = c.generation;
  j["space_group"] = c.space_group;
  return j;
}

PsoCandidate from_json(const nlohmann::json& j) {
  PsoCandidate c;
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) c.structure.cell[a][b] = j.at("cell").at(a).at(b).get<double>();
  for (const auto& r : j.at("positions"))
    c.structure.positions.push_back({r[0].get<double>(), r[1].get<double>(), r[2].get<double>()});
  c.structure.types = j.at("types").get<std::vector<int>>();
  c.structure.species_symbols = j.at("symbols").get<std::vector<std::string>>();
  c.clusters = j.at("clusters").get<std::vector<std::vector<int>>>();
  c.enthalpy_per_atom = j.at("enthalpy_per_atom").get<double>();
  c.energy_per_atom = j.at("energy_per_atom").get<double>();
  c.generation = j.at("generation").get<int>();
  c.space_group = j.at("space_group").get<std::string>();
  return c;
}

}  // namespace

PsoResult run_pso(const Calculator& calc, const PsoOptions& o) {
  if (o.population < 2 || o.generations < 1)
    throw Error("PSO needs population >= 2 and generations >= 1");
  if (!(o.keep >= 0 && o.keep <= 1)) throw Error("--keep must be in [0, 1]");
  std::vector<Particle> swarm(static_cast<std::size_t>(o.population));
  std::vector<std::pair<PsoCandidate, std::vector<double>>>
      archive;  // unique structures + fingerprints
  PsoResult result;
  int start_generation = 0;

  if (o.resume) {
    std::ifstream in(o.checkpoint);
    if (!in) throw InputError(o.checkpoint, 0, "cannot open checkpoint to resume");
    nlohmann::json j;
    in >> j;
    if (j.value("seed", 0UL) != o.seed || j.value("population", 0) != o.population)
      throw InputError(o.checkpoint, 0,
                       "checkpoint was written with another seed or population size");
    start_generation = j.at("generation").get<int>() + 1;
    result.generation_best_found = j.at("generation_best_found").get<int>();
    for (std::size_t k = 0; k < swarm.size(); ++k) {
      const auto& p = j.at("swarm").at(k);
      swarm[k].has = p.at("has").get<bool>();
      if (!swarm[k].has) continue;
      swarm[k].current = from_json(p.at("current"));
      swarm[k].best = from_json(p.at("best"));
      swarm[k].velocity = p.at("velocity").get<std::vector<double>>();
    }
    for (const auto& a : j.at("archive")) {
      PsoCandidate c = from_json(a);
      archive.push_back({c, rdf_fingerprint(c.structure)});
    }
  }

  Progress progress(o.progress, o.progress_label,
                    static_cast<double>(std::max(1, o.generations - start_generation)));
  std::string detail;
  for (int gen = start_generation; gen < o.generations; ++gen) {
    const double omega = 0.9 - 0.5 * (o.generations > 1 ? double(gen) / (o.generations - 1) : 0.0);
    // Which slots evolve by PSO: the best `keep` fraction of the last generation's particles.
    std::vector<std::size_t> order(swarm.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (swarm[a].has != swarm[b].has) return swarm[a].has;
      return swarm[a].current.enthalpy_per_atom < swarm[b].current.enthalpy_per_atom;
    });
    const auto n_keep = static_cast<std::size_t>(std::floor(o.keep * o.population + 1e-9));
    std::vector<bool> evolve(swarm.size(), false);
    for (std::size_t k = 0; k < n_keep && k < order.size(); ++k)
      evolve[order[k]] = swarm[order[k]].has;
    const PsoCandidate* gbest = archive.empty() ? nullptr : &archive.front().first;

    std::vector<PsoCandidate> next(swarm.size());
    std::vector<std::string> errors(swarm.size());
    std::vector<char> rejected(swarm.size(), 0);
#pragma omp parallel for schedule(dynamic, 1)
    for (long kk = 0; kk < static_cast<long>(swarm.size()); ++kk) {
      const auto k = static_cast<std::size_t>(kk);
      std::mt19937_64 rng(o.seed * 1000003ULL + static_cast<unsigned long>(gen) * 7919ULL + k);
      try {
        PsoCandidate start;
        if (evolve[k] && gbest) {
          Particle& p = swarm[k];
          const auto x = coordinates(p.current), pb = coordinates(p.best), gb = coordinates(*gbest);
          if (p.velocity.size() != x.size()) p.velocity.assign(x.size(), 0.0);
          std::uniform_real_distribution<double> u(0, 1);
          std::vector<double> nx(x.size());
          for (std::size_t d = 0; d < x.size(); ++d) {
            double dp = pb[d] - x[d], dg = gb[d] - x[d];
            if (d >= 9)
              dp -= std::round(dp), dg -= std::round(dg);  // periodic fractional differences
            double v = omega * p.velocity[d] + 2.0 * u(rng) * dp + 2.0 * u(rng) * dg;
            const double cap = d >= 9 ? 0.3 : 0.2 * std::fabs(x[d]) + 0.5;
            v = std::max(-cap, std::min(cap, v));
            p.velocity[d] = v;
            nx[d] = x[d] + v;
          }
          start = with_coordinates(p.current, nx, rng, 0.6 * omega);
        } else {
          GeneratedCrystal g = random_crystal(o.units, o.generator, rng);
          start.structure = g.structure;
          start.clusters = g.clusters;
          swarm[k].velocity.clear();
        }
        RelaxOptions ro = o.relax;
        ro.rigid_clusters = start.clusters;
        ro.progress = nullptr;
        const RelaxResult r = relax(calc, start.structure, ro);
        if (o.check) o.check(r.structure);
        PsoCandidate c = start;
        c.structure = r.structure;
        const double n = static_cast<double>(r.structure.size());
        c.enthalpy_per_atom = r.enthalpy / n;
        c.energy_per_atom = r.energy / n;
        c.generation = gen;
        c.space_group = detect_space_group(r.structure, o.symprec).first;
        if (!std::isfinite(c.enthalpy_per_atom)) throw Error("non-finite enthalpy");
        next[k] = c;
      } catch (const CandidateRejected& e) {
        errors[k] = e.what();
        rejected[k] = 1;
      } catch (const std::exception& e) {
        errors[k] = e.what();
      }
    }
    // Bookkeeping (serial, deterministic order).
    int n_failed = 0, n_rejected = 0, n_new_unique = 0;
    for (std::size_t k = 0; k < swarm.size(); ++k) {
      Particle& p = swarm[k];
      if (!errors[k].empty()) {
        ++(rejected[k] ? n_rejected : n_failed);
        p.has = false;
        continue;
      }
      p.current = next[k];
      if (!p.has || p.velocity.empty() || p.current.enthalpy_per_atom < p.best.enthalpy_per_atom)
        p.best = p.current;
      p.has = true;
      const auto fp = rdf_fingerprint(p.current.structure);
      bool duplicate = false;
      for (const auto& [a, afp] : archive)
        if (std::fabs(a.enthalpy_per_atom - p.current.enthalpy_per_atom) < o.duplicate_energy &&
            fingerprint_distance(afp, fp) < o.duplicate_distance)
          duplicate = true;
      if (duplicate) {
        // A duplicate is not kept for PSO: its slot gets a fresh random crystal next time.
        p.current.enthalpy_per_atom = std::numeric_limits<double>::infinity();
        continue;
      }
      ++n_new_unique;
      archive.push_back({p.current, fp});
    }
    std::stable_sort(archive.begin(), archive.end(), [](const auto& a, const auto& b) {
      return a.first.enthalpy_per_atom < b.first.enthalpy_per_atom;
    });
    if (!archive.empty() && archive.front().first.generation == gen)
      result.generation_best_found = gen;
    result.generations_run = gen + 1;

    if (!o.checkpoint.empty()) {
      nlohmann::json j;
      j["seed"] = o.seed;
      j["population"] = o.population;
      j["generation"] = gen;
      j["generation_best_found"] = result.generation_best_found;
      for (const Particle& p : swarm) {
        nlohmann::json pj;
        pj["has"] = p.has;
        if (p.has) {
          PsoCandidate cur = p.current;
          if (!std::isfinite(cur.enthalpy_per_atom)) cur.enthalpy_per_atom = 1e300;
          pj["current"] = to_json(cur);
          pj["best"] = to_json(p.best);
          pj["velocity"] = p.velocity;
        }
        j["swarm"].push_back(pj);
      }
      j["archive"] = nlohmann::json::array();
      for (const auto& a : archive) j["archive"].push_back(to_json(a.first));
      AtomicFile f(o.checkpoint);
      f.stream() << j.dump() << "\n";
      f.commit();
    }
    char line[256];
    std::snprintf(
        line, sizeof line,
        "generation %d/%d  best %.6f eV/atom (%s)  unique %zu (+%d)  failed %d  rejected %d",
        gen + 1, o.generations, archive.empty() ? NAN : archive.front().first.enthalpy_per_atom,
        archive.empty() ? "-" : archive.front().first.space_group.c_str(), archive.size(),
        n_new_unique, n_failed, n_rejected);
    detail = line;
    progress.update(gen - start_generation + 1, detail);
  }
  progress.finish(detail);
  for (const auto& a : archive) result.ranking.push_back(a.first);
  return result;
}

}  // namespace superion
