// Transparent gzip input for the dataset readers: a .gz file reads exactly like the plain file
// (every field, bit for bit), compression is found by the magic bytes and not the name, name-based
// format detection ignores ".gz", CP2K companions may be compressed one by one, and a truncated or
// damaged .gz is one InputError naming the file, also through the CLI (exit code 2).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "gzip_test_util.hpp"
#include "io/cp2k.hpp"
#include "io/formats.hpp"
#include "io/line_reader.hpp"
#include "io/text_input.hpp"
#include "io_test_util.hpp"
#include "test_util.hpp"

namespace superion {
namespace {

namespace fs = std::filesystem;
using testing::expect_input_error;
using testing::gzip_file;
using testing::gzip_text;
using testing::slurp;
using testing::TempDir;
using testing::write_text;

const fs::path kReference = fs::path(SUPERION_SOURCE_DIR) / "data" / "reference" / "Na3ClSO4";

// Decompression is exact, so everything must be identical: tolerance 0 (bit-identical numbers)
// and the fields expect_same_dataset does not look at.
void expect_identical(const Dataset& a, const Dataset& b) {
  testing::expect_same_dataset(a, b, 0.0);
  EXPECT_EQ(a.species, b.species);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    const Configuration& ca = a.configs[k];
    const Configuration& cb = b.configs[k];
    EXPECT_EQ(ca.structure.species_symbols, cb.structure.species_symbols) << k;
    EXPECT_EQ(ca.config_type, cb.config_type) << k;
    EXPECT_EQ(ca.features, cb.features) << k;
    EXPECT_EQ(ca.weight, cb.weight) << k;
  }
}

// Text of about `bytes` bytes in lines of varying length: crosses the 64 KiB stream buffer and
// zlib's buffer many times.
std::string many_lines(std::size_t bytes) {
  std::mt19937 rng(12345);
  std::string s;
  long line = 0;
  while (s.size() < bytes) {
    s += "line " + std::to_string(++line) + " ";
    const int n = static_cast<int>(rng() % 120);
    for (int i = 0; i < n; ++i) s += static_cast<char>('a' + rng() % 26);
    s += (line % 7 == 0) ? "\r\n" : "\n";
  }
  return s;
}

TEST(GzipInput, DetectedByMagicBytesNotByName) {
  TempDir tmp;
  const std::string text = "2\nLattice=\"4 0 0 0 4 0 0 0 4\"\nNa 0 0 0\nCl 2 2 2\n";
  write_text(tmp / "plain.gz", text);   // a plain file with a .gz name
  gzip_text(text, tmp / "packed.txt");  // a gzip file without one
  EXPECT_FALSE(io::is_gzip_file(tmp / "plain.gz"));
  EXPECT_TRUE(io::is_gzip_file(tmp / "packed.txt"));
  EXPECT_EQ(slurp(tmp / "packed.txt").substr(0, 2), "\x1f\x8b");
  EXPECT_EQ(io::read_text_file(tmp / "plain.gz"), text);
  EXPECT_EQ(io::read_text_file(tmp / "packed.txt"), text);
  // Empty files: a zero-byte file and a gzip of nothing are both empty texts.
  write_text(tmp / "empty", "");
  gzip_text("", tmp / "empty.gz");
  EXPECT_FALSE(io::is_gzip_file(tmp / "empty"));
  EXPECT_TRUE(io::is_gzip_file(tmp / "empty.gz"));
  EXPECT_EQ(io::read_text_file(tmp / "empty"), "");
  EXPECT_EQ(io::read_text_file(tmp / "empty.gz"), "");
  // A missing file keeps the usual message.
  expect_input_error([&] { io::read_text_file(tmp / "missing.gz"); }, (tmp / "missing.gz").string(),
                     0, "cannot open file for reading");
}

TEST(GzipInput, WholeAndStreamedReadsAreExact) {
  TempDir tmp;
  const std::string text = many_lines(3 << 20);  // 3 MiB
  gzip_text(text, tmp / "big.txt.gz");
  EXPECT_EQ(io::read_text_file(tmp / "big.txt.gz"), text);
  // LineReader over the .gz returns the same lines as over the in-memory text.
  io::LineReader plain(std::string(text), "mem"), packed(tmp / "big.txt.gz");
  std::string_view a, b;
  while (plain.next(a)) {
    ASSERT_TRUE(packed.next(b)) << plain.line_number();
    ASSERT_EQ(a, b) << plain.line_number();
  }
  EXPECT_FALSE(packed.next(b));
  // The streaming istream gives the same bytes.
  io::TextInputStream in(tmp / "big.txt.gz");
  EXPECT_TRUE(in.gzip());
  std::ostringstream all;
  all << in.rdbuf();
  EXPECT_EQ(all.str(), text);
  // The decompressed-size bound used to reject absurd atom counts covers the real size.
  EXPECT_GE(io::text_size_bound(tmp / "big.txt.gz"), text.size());
}

// A named pipe can be read only once (no probing and reopening): plain and gzip data both arrive.
TEST(GzipInput, PipesAreReadOnceEitherWay) {
  TempDir tmp;
  const std::string text = many_lines(200000);
  gzip_text(text, tmp / "packed.gz");
  for (const std::string& payload : {text, slurp(tmp / "packed.gz")}) {
    const fs::path fifo = tmp / "pipe";
    fs::remove(fifo);
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] { std::ofstream(fifo, std::ios::binary) << payload; });
    std::string got;
    try {
      got = io::read_text_file(fifo);
    } catch (...) {
      writer.join();
      throw;
    }
    writer.join();
    EXPECT_EQ(got.size(), text.size());
    EXPECT_TRUE(got == text);
  }
}

TEST(GzipInput, FormatDetectionIgnoresTrailingGz) {
  EXPECT_EQ(io::strip_gz_suffix("md.xyz.gz"), "md.xyz");
  EXPECT_EQ(io::strip_gz_suffix("XDATCAR.GZ"), "XDATCAR");
  EXPECT_EQ(io::strip_gz_suffix("train.cfg"), "train.cfg");
  EXPECT_EQ(io::strip_gz_suffix(".gz"), ".gz");  // nothing before the suffix: not stripped
  const std::pair<const char*, const char*> cases[] = {
      {"md.xyz.gz", "extxyz"},     {"train.cfg.gz", "cfg"},
      {"OUTCAR.gz", "outcar"},     {"vasprun.xml.gz", "vasprun"},
      {"POSCAR.gz", "poscar"},     {"data.nacl.gz", "lammps-data"},
      {"md-pos-1.xyz.gz", "cp2k"}, {"/a/b/Run-POS-2.XYZ.GZ", "cp2k"},
      {"md.extxyz.Gz", "extxyz"},
  };
  for (const auto& [name, format] : cases) EXPECT_STREQ(io::find_format(name).name, format) << name;
  EXPECT_THROW(io::find_format("notes.txt.gz"), Error);
}

TEST(GzipInput, ExtxyzAndCfgIdenticalToPlain) {
  TempDir tmp;
  const fs::path xyz = kReference / "md_800K_strain+0.00.xyz";
  gzip_file(xyz, tmp / "md.xyz.gz");
  const Dataset plain = io::read_dataset(xyz);
  ASSERT_GT(plain.size(), 1u);
  ASSERT_TRUE(plain.configs[0].forces && plain.configs[0].energy && plain.configs[0].virial);
  expect_identical(plain, io::read_dataset(tmp / "md.xyz.gz"));
  // A gzip file under a plain name is still decompressed (magic bytes).
  fs::copy_file(tmp / "md.xyz.gz", tmp / "renamed.xyz");
  expect_identical(plain, io::read_dataset(tmp / "renamed.xyz"));
  // cfg, written losslessly from the same data with charges and features, then compressed.
  Dataset with_more = plain;
  for (auto& c : with_more.configs) {
    c.charges = std::vector<double>(c.size(), 0.25);
    c.features.emplace_back("source", "gzip-test");
  }
  io::write_dataset(tmp / "train.cfg", with_more, "cfg", {true, {}});
  gzip_file(tmp / "train.cfg", tmp / "train.cfg.gz");
  const Dataset cfg = io::read_dataset(tmp / "train.cfg");
  ASSERT_TRUE(cfg.configs[0].charges);
  expect_identical(cfg, io::read_dataset(tmp / "train.cfg.gz"));
}

TEST(GzipInput, Cp2kRunWithCompressedCompanions) {
  TempDir tmp;
  const fs::path run = kReference / "cp2k" / "md_800K_strain+0.00";
  // pos, frc, .ener and .cell compressed; vel and .stress left plain (mixed is allowed).
  for (const char* f : {"md-pos-1.xyz", "md-frc-1.xyz", "md-1.ener", "md-1.cell"})
    gzip_file(run / f, tmp / (std::string(f) + ".gz"));
  for (const char* f : {"md-vel-1.xyz", "md-1.stress"}) fs::copy_file(run / f, tmp / f);
  const io::Cp2kFiles files = io::cp2k_files(tmp / "md-pos-1.xyz.gz");
  EXPECT_EQ(files.pos, tmp / "md-pos-1.xyz.gz");
  EXPECT_EQ(files.frc, tmp / "md-frc-1.xyz.gz");
  EXPECT_EQ(files.vel, tmp / "md-vel-1.xyz");
  EXPECT_EQ(files.ener, tmp / "md-1.ener.gz");
  EXPECT_EQ(files.stress, tmp / "md-1.stress");
  EXPECT_EQ(files.cell, tmp / "md-1.cell.gz");

  io::Cp2kReport rp, rg, rprefix;
  const Dataset plain = io::read_cp2k(run / "md-pos-1.xyz", {}, &rp);
  ASSERT_TRUE(rp.forces && rp.energy_file && rp.stress && rp.velocities);
  expect_identical(plain, io::read_cp2k(tmp / "md-pos-1.xyz.gz", {}, &rg));
  expect_identical(plain, io::read_cp2k(tmp / "md", {}, &rprefix));  // the PROJECT prefix
  for (const io::Cp2kReport* r : {&rg, &rprefix}) {
    EXPECT_EQ(r->frames, rp.frames);
    EXPECT_EQ(r->forces, rp.forces);
    EXPECT_EQ(r->energy_file, rp.energy_file);
    EXPECT_EQ(r->stress, rp.stress);
    EXPECT_EQ(r->velocities, rp.velocities);
    EXPECT_EQ(r->cell_source, rp.cell_source);
    EXPECT_EQ(r->max_kinetic_mismatch, rp.max_kinetic_mismatch);
  }
  // Through the dispatcher, by name.
  expect_identical(plain, io::read_dataset(tmp / "md-pos-1.xyz.gz"));
}

TEST(GzipInput, VaspOutcarAndVasprunIdenticalToPlain) {
  SUPERION_REQUIRE_SHARED(dir, "vasp/dpdata_h2o_md");
  TempDir tmp;
  gzip_file(dir / "OUTCAR.h2o.md.10", tmp / "OUTCAR.h2o.md.10.gz");
  gzip_file(dir / "vasprun.h2o.md.10.xml", tmp / "vasprun.h2o.md.10.xml.gz");
  const Dataset outcar = io::read_dataset(dir / "OUTCAR.h2o.md.10");
  ASSERT_EQ(outcar.size(), 10u);
  expect_identical(outcar, io::read_dataset(tmp / "OUTCAR.h2o.md.10.gz"));
  const Dataset vasprun = io::read_dataset(dir / "vasprun.h2o.md.10.xml");
  ASSERT_EQ(vasprun.size(), 10u);
  expect_identical(vasprun, io::read_dataset(tmp / "vasprun.h2o.md.10.xml.gz"));
}

TEST(GzipInput, TruncatedOrDamagedGzipIsOneInputError) {
  TempDir tmp;
  const fs::path xyz = kReference / "md_800K_strain+0.00.xyz";
  gzip_file(xyz, tmp / "md.xyz.gz");
  const std::string packed = slurp(tmp / "md.xyz.gz");
  // Cut in the middle of the deflate data, and just before the 8-byte trailer (CRC, size).
  testing::truncate_copy(tmp / "md.xyz.gz", tmp / "half.xyz.gz", packed.size() / 2);
  testing::truncate_copy(tmp / "md.xyz.gz", tmp / "notrailer.xyz.gz", packed.size() - 8);
  testing::truncate_copy(tmp / "md.xyz.gz", tmp / "magic.xyz.gz", 2);
  for (const char* name : {"half.xyz.gz", "notrailer.xyz.gz", "magic.xyz.gz"}) {
    const fs::path p = tmp / name;
    expect_input_error([&] { io::read_dataset(p); }, p.string(), 0, "gzip data truncated");
  }
  // A damaged CRC (first trailer byte): zlib's integrity check rejects the data.
  std::string bad = packed;
  bad[bad.size() - 8] = static_cast<char>(bad[bad.size() - 8] ^ 0x55);
  write_text(tmp / "crc.xyz.gz", bad);
  expect_input_error([&] { io::read_dataset(tmp / "crc.xyz.gz"); }, (tmp / "crc.xyz.gz").string(),
                     0, "gzip data corrupt");
  // Gzip magic followed by junk: not a deflate stream.
  write_text(tmp / "junk.cfg.gz", std::string("\x1f\x8b") + "this is not deflate data");
  expect_input_error([&] { io::read_dataset(tmp / "junk.cfg.gz"); }, (tmp / "junk.cfg.gz").string(),
                     0, "gzip data corrupt");
  // HDF5 cannot be decompressed on the fly: a clear message instead of an HDF5 error.
  gzip_text("not really hdf5", tmp / "data.h5.gz");
  expect_input_error([&] { io::read_dataset(tmp / "data.h5.gz"); }, (tmp / "data.h5.gz").string(),
                     0, "gunzip it first");
}

TEST(GzipInput, CliInfoReadsGzAndFailsCleanlyOnTruncation) {
  TempDir tmp;
  const fs::path xyz = kReference / "md_800K_strain+0.00.xyz";
  gzip_file(xyz, tmp / "md.xyz.gz");
  std::string plain_out, gz_out;
  ASSERT_EQ(testing::run_superion("info \"" + xyz.string() + "\"", &plain_out), 0) << plain_out;
  ASSERT_EQ(testing::run_superion("info \"" + (tmp / "md.xyz.gz").string() + "\"", &gz_out), 0)
      << gz_out;
  // Same summary apart from the first line, which names the file.
  EXPECT_EQ(plain_out.substr(plain_out.find('\n')), gz_out.substr(gz_out.find('\n')));
  EXPECT_NE(gz_out.find("(extxyz)"), std::string::npos) << gz_out;
  testing::truncate_copy(tmp / "md.xyz.gz", tmp / "cut.xyz.gz", 100);
  std::string out;
  EXPECT_EQ(testing::run_superion("info \"" + (tmp / "cut.xyz.gz").string() + "\"", &out), 2)
      << out;
  EXPECT_NE(out.find("cut.xyz.gz: gzip data truncated"), std::string::npos) << out;
}

}  // namespace
}  // namespace superion
