// `.mtp` reader/writer: all shipped untrained tables (counts of MTP_FACTS §4.2), placeholders,
// trained files, the MLIP-3 .almtp text part, write→read losslessness and clear errors.
#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>

#include "core/error.hpp"
#include "mtp/mtp_file.hpp"
#include "mtp_test_helpers.hpp"
#include "test_util.hpp"

using namespace superion;

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST(MtpFile, ShippedUntrainedTablesHaveDocumentedCounts) {
  // level, K, alpha_moments_count, basic, times, A (MTP_FACTS §4.2)
  const int table[][6] = {{2, 1, 1, 1, 0, 1},
                          {4, 1, 2, 1, 1, 2},
                          {6, 2, 8, 5, 5, 5},
                          {8, 2, 18, 11, 14, 9},
                          {10, 3, 41, 25, 42, 16},
                          {12, 3, 84, 46, 117, 29},
                          {14, 4, 174, 81, 348, 52},
                          {16, 4, 350, 130, 969, 92},
                          {18, 5, 718, 201, 2634, 163},
                          {20, 5, 1352, 295, 6349, 288},
                          {22, 6, 2621, 421, 15431, 500},
                          {24, 6, 4991, 581, 36170, 864},
                          {26, 6, 9396, 706, 82520, 1464},
                          {28, 6, 17366, 866, 180069, 2445}};
  for (const auto& t : table) {
    char name[32];
    std::snprintf(name, sizeof name, "mtp/untrained/%02d.mtp", t[0]);
    const auto path = ::superion::testing::test_data(name);
    if (t[0] == 2 && !std::filesystem::exists(path)) GTEST_SKIP() << "MLIP tables absent: " << name;
    if (!std::filesystem::exists(path)) {  // 24-28 are only in ../shared/data (5.9 MB)
      std::printf("%s absent (only in ../shared/data): not checked\n", name);
      continue;
    }
    const Mtp m = read_mtp(path);
    EXPECT_FALSE(m.trained) << name;
    EXPECT_EQ(m.level(), t[0]) << name;
    EXPECT_EQ(m.radial_funcs_count, t[1]) << name;
    EXPECT_EQ(m.alpha_moments_count, t[2]) << name;
    EXPECT_EQ(m.basic_count(), t[3]) << name;
    EXPECT_EQ(static_cast<int>(m.alpha_index_times.size()), t[4]) << name;
    EXPECT_EQ(m.alpha_scalar_moments(), t[5]) << name;
    EXPECT_EQ(m.species_count, 1);
    EXPECT_EQ(m.radial_basis_size, 8);
    EXPECT_EQ(m.min_dist, 2.0);
    EXPECT_EQ(m.max_dist, 5.0);
    EXPECT_EQ(m.scaling, 1.0);
    // P = C²KR + C + A
    EXPECT_EQ(m.n_params(), static_cast<std::size_t>(t[1] * 8 + 1 + t[5]));
    // MLIP-2 placeholders
    EXPECT_EQ(m.radial_coeffs[0], 1e-3);
    EXPECT_EQ(m.radial_coeffs[1], 1e-6);
    EXPECT_EQ(m.moment_coeffs[0], 1e-3);
  }
}

TEST(MtpFile, TrainedFileValues) {
  SUPERION_REQUIRE_SHARED(path, "mtp/trained/example2sp_L06_mlip2.mtp");
  const Mtp m = read_mtp(path);
  EXPECT_TRUE(m.trained);
  EXPECT_EQ(m.species_count, 2);
  EXPECT_EQ(m.scaling, 3.130086396550662e-02);
  EXPECT_EQ(m.n_params(), 71u);  // MTP_FACTS §4.3, level 6, C = 2
  // block 1-0, μ = 0, β = 0 (central 1, neighbour 0)
  EXPECT_EQ(m.radial_coeffs[((1 * 2 + 0) * 2 + 0) * 8 + 0], -2.659254317030898e-01);
  EXPECT_EQ(m.radial_coeffs[((0 * 2 + 1) * 2 + 1) * 8 + 7], -1.481134159592157e-01);
  EXPECT_EQ(m.species_coeffs[1], -3.861024155641716e+00);
  EXPECT_EQ(m.moment_coeffs[4], -2.728130410568028e+00);
  const auto theta = m.parameters();
  EXPECT_EQ(theta[64], m.species_coeffs[0]);
  EXPECT_EQ(theta[66], m.moment_coeffs[0]);
}

TEST(MtpFile, Mlip3AlmtpTextPart) {
  SUPERION_REQUIRE_SHARED(path, "mtp/trained/Li_L06_mlip3.almtp");
  const Mtp m = read_mtp(path);
  EXPECT_TRUE(m.trained);
  EXPECT_EQ(m.min_dist, 2.353417064455915e+00);
  EXPECT_EQ(m.species_coeffs[0], -1.369254390287606e+00);
}

TEST(MtpFile, WriteReadIsLossless) {
  SUPERION_REQUIRE_SHARED(path, "mtp/untrained/16.mtp");
  Mtp m = read_mtp(path);
  m.set_species_count(3);
  std::mt19937 rng(3);
  superion::testing::randomize(m, rng);
  m.scaling = 0.1234567890123456789;
  m.min_dist = 1.0 / 3.0;
  superion::testing::TempDir dir;
  write_mtp(m, dir / "a.mtp", MtpPrecision::kLossless);
  const Mtp r = read_mtp(dir / "a.mtp");
  EXPECT_TRUE(r.trained);
  EXPECT_EQ(r.parameters(), m.parameters());
  EXPECT_EQ(r.scaling, m.scaling);
  EXPECT_EQ(r.min_dist, m.min_dist);
  EXPECT_EQ(r.alpha_index_times, m.alpha_index_times);
  EXPECT_EQ(r.alpha_index_basic, m.alpha_index_basic);
  EXPECT_EQ(r.alpha_moment_mapping, m.alpha_moment_mapping);
  // MLIP precision: 16 significant digits.
  write_mtp(m, dir / "b.mtp");
  const auto pb = read_mtp(dir / "b.mtp").parameters(), pa = m.parameters();
  for (std::size_t k = 0; k < pa.size(); ++k) EXPECT_NEAR(pb[k], pa[k], 1e-15 * std::fabs(pa[k]));
}

TEST(MtpFile, MlipFormatRoundTripReproducesTrainedFile) {
  // A file written by MLIP-2 (%.15e) is reproduced byte for byte (modulo `potential_tag = `).
  SUPERION_REQUIRE_SHARED(path, "mtp/trained/example2sp_L06_mlip2.mtp");
  std::string orig = slurp(path);
  if (orig.back() != '\n') orig += '\n';
  EXPECT_EQ(format_mtp(read_mtp(path)), orig);
}

TEST(MtpFile, UntrainedRoundTripStaysUntrained) {
  SUPERION_REQUIRE_SHARED(path, "mtp/untrained/08.mtp");
  superion::testing::TempDir dir;
  write_mtp(read_mtp(path), dir / "u.mtp");
  const Mtp r = read_mtp(dir / "u.mtp");
  EXPECT_FALSE(r.trained);
  EXPECT_EQ(r.alpha_moments_count, 18);
}

namespace {
// Parses a modified copy of the trained 2-species file and returns the error message.
std::string error_of(const std::string& from, const std::string& to) {
  const std::string orig =
      slurp(::superion::testing::test_data("mtp/trained/example2sp_L06_mlip2.mtp"));
  std::string text = orig;
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  text.replace(pos, from.size(), to);
  try {
    parse_mtp(text, "bad.mtp");
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST(MtpFile, BadFilesGiveClearErrors) {
  SUPERION_REQUIRE_SHARED(path, "mtp/trained/example2sp_L06_mlip2.mtp");
  EXPECT_EQ(error_of("MTP\n", "MTX\n"), "bad.mtp:1: expected 'MTP' on the first line");
  EXPECT_EQ(error_of("version = 1.1.0", "version = 1.2.0"),
            "bad.mtp:2: expected 'version = 1.1.0' on the second line");
  EXPECT_NE(error_of("RBChebyshev", "RBShapeev")
                .find("bad.mtp:7: radial_basis_type 'RBShapeev' is not supported"),
            std::string::npos);
  EXPECT_NE(
      error_of("\tmax_dist", "\tmaxdist").find("bad.mtp:9: expected 'max_dist', found 'maxdist'"),
      std::string::npos);
  EXPECT_NE(
      error_of("\t\t1-0", "\t\t1-1").find("bad.mtp:19: radial_coeffs block '1-1' out of order"),
      std::string::npos);
  EXPECT_NE(error_of("-1.104912566985570e-01,", "-1.1049x,").find("bad.mtp:17: expected a number"),
            std::string::npos);
  EXPECT_NE(
      error_of(", -3.944411379425272e-02}", "}").find("radial_coeffs has 7 numbers, expected 8"),
      std::string::npos);
  EXPECT_NE(error_of("{0, 5, 1, 7}", "{0, 5, 1, 9}").find("bad.mtp:29:"), std::string::npos);
  EXPECT_NE(error_of("{0, 5, 1, 7}", "{0, 5, 1, 9}").find("outside 0..7"), std::string::npos);
  EXPECT_NE(error_of("{0, 4, 5, 6, 7}", "{0, 4, 5, 6, 8}").find("bad.mtp:31:"), std::string::npos);
  EXPECT_NE(error_of("{1, 0, 0, 0}}", "{2, 0, 0, 0}}").find("must equal 1 + max mu"),
            std::string::npos);
  EXPECT_NE(error_of("moment_coeffs = {", "moment_coeff = {").find("unexpected 'moment_coeff'"),
            std::string::npos);
  EXPECT_NE(error_of("species_coeffs = {-2.894035702341287e+00, ", "species_coeffs = {")
                .find("species_coeffs has 1 numbers, expected 2"),
            std::string::npos);
  // Coefficients only partly present.
  EXPECT_NE(error_of("species_coeffs", "XX").find("unexpected 'XX'"), std::string::npos);
  EXPECT_THROW(read_mtp("/nonexistent/x.mtp"), InputError);
}

TEST(MtpFile, WhitespaceInsensitiveAndCrlf) {
  SUPERION_REQUIRE_SHARED(path, "mtp/trained/example2sp_L06_mlip2.mtp");
  std::string text = slurp(path);
  // CRLF everywhere, extra blanks/tabs between tokens after the two header lines.
  std::string crlf;
  int line = 1;
  for (char c : text) {
    if (c == '\n') crlf += line++ > 2 ? " \t\r" : "\r";
    crlf += c;
    if (line > 2 && (c == ',' || c == '=')) crlf += "\t ";
  }
  const Mtp a = parse_mtp(text, "a"), b = parse_mtp(crlf, "b");
  EXPECT_EQ(a.parameters(), b.parameters());
}
