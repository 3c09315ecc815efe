// Checkpoint encoding (little-endian, bit-exact doubles), CRC-32, atomic write with .bak.
#include "checkpoint.hpp"

#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/atomic_file.hpp"
#include "core/error.hpp"

namespace superion::md {
namespace {

constexpr char kMagic[16] = {'S', 'U', 'P', 'E', 'R', 'I',  'O',  'N',
                             '_', 'C', 'K', 'P', 'T', '\0', '\0', '\0'};
constexpr std::size_t kHeaderBytes = 16 + 4 + 8;
constexpr std::size_t kTrailerBytes = 4;

// Appends fixed-width little-endian values to a byte buffer.
class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u32(std::uint32_t v) {
    for (int k = 0; k < 4; ++k) out_.push_back(static_cast<unsigned char>(v >> (8 * k)));
  }
  void u64(std::uint64_t v) {
    for (int k = 0; k < 8; ++k) out_.push_back(static_cast<unsigned char>(v >> (8 * k)));
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void f64(double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    u64(bits);
  }
  void str(const std::string& s) {
    u64(s.size());
    out_.insert(out_.end(), s.begin(), s.end());
  }
  void doubles(const std::vector<double>& v) {
    u64(v.size());
    for (double x : v) f64(x);
  }
  void vecs(const std::vector<Vec3>& v) {
    u64(v.size());
    for (const Vec3& p : v) {
      f64(p.x);
      f64(p.y);
      f64(p.z);
    }
  }
  std::vector<unsigned char>& bytes() { return out_; }

 private:
  std::vector<unsigned char> out_;
};

// Reads the same values back with bounds checks; errors name the file and the field.
class Reader {
 public:
  Reader(const unsigned char* p, std::size_t n, const std::string& name)
      : p_(p), n_(n), name_(name) {}
  void field(const char* f) { field_ = f; }
  std::uint8_t u8() {
    need(1);
    return p_[pos_++];
  }
  std::uint32_t u32() {
    need(4);
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) v |= static_cast<std::uint32_t>(p_[pos_++]) << (8 * k);
    return v;
  }
  std::uint64_t u64() {
    need(8);
    std::uint64_t v = 0;
    for (int k = 0; k < 8; ++k) v |= static_cast<std::uint64_t>(p_[pos_++]) << (8 * k);
    return v;
  }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  double f64() {
    const std::uint64_t bits = u64();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  // A count of items of `item_bytes` each that must fit in the remaining bytes.
  std::size_t count(std::size_t item_bytes) {
    const std::uint64_t c = u64();
    if (item_bytes > 0 && c > (n_ - pos_) / item_bytes)
      fail("count " + std::to_string(c) + " too large");
    return static_cast<std::size_t>(c);
  }
  std::string str() {
    const std::size_t len = count(1);
    std::string s(reinterpret_cast<const char*>(p_ + pos_), len);
    pos_ += len;
    return s;
  }
  std::vector<double> doubles() {
    std::vector<double> v(count(8));
    for (double& x : v) x = f64();
    return v;
  }
  std::vector<Vec3> vecs() {
    std::vector<Vec3> v(count(24));
    for (Vec3& p : v) p = {f64(), f64(), f64()};
    return v;
  }
  bool done() const { return pos_ == n_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(name_, 0,
                     "corrupt checkpoint payload in field '" + std::string(field_) + "': " + what);
  }

 private:
  void need(std::size_t k) {
    if (n_ - pos_ < k) fail("payload ends early");
  }
  const unsigned char* p_;
  std::size_t n_;
  std::size_t pos_ = 0;
  std::string name_;
  const char* field_ = "";
};

void check_sizes(const Checkpoint& c) {
  const std::size_t n = c.positions.size();
  auto bad = [&](const char* what, std::size_t m) {
    throw Error("checkpoint: " + std::string(what) + " has " + std::to_string(m) +
                " entries, expected " + std::to_string(n) + " (one per atom)");
  };
  if (c.velocities.size() != n) bad("velocities", c.velocities.size());
  if (c.types.size() != n) bad("types", c.types.size());
  if (c.masses.size() != n) bad("masses", c.masses.size());
  if (!c.images.empty() && c.images.size() != n) bad("images", c.images.size());
}

}  // namespace

std::uint32_t crc32(const unsigned char* data, std::size_t n) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < n; ++i) c = table[(c ^ data[i]) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::vector<unsigned char> encode_checkpoint(const Checkpoint& c) {
  check_sizes(c);
  Writer p;  // payload
  p.i64(c.step);
  p.f64(c.time_ps);
  for (int r = 0; r < 3; ++r)
    for (int k = 0; k < 3; ++k) p.f64(c.cell[r][k]);
  for (int k = 0; k < 3; ++k) p.u8(c.pbc[k] ? 1 : 0);
  p.vecs(c.positions);
  p.u64(c.images.size());
  for (const auto& im : c.images)
    for (int k = 0; k < 3; ++k) p.i32(im[k]);
  p.vecs(c.velocities);
  p.u64(c.types.size());
  for (int t : c.types) p.i32(t);
  p.u64(c.species_symbols.size());
  for (const auto& s : c.species_symbols) p.str(s);
  p.doubles(c.masses);
  p.str(c.thermostat_type);
  p.doubles(c.thermostat_state);
  p.str(c.rng_state);
  p.u64(c.arrays.size());
  for (const auto& [k, v] : c.arrays) {
    p.str(k);
    p.doubles(v);
  }
  p.u64(c.metadata.size());
  for (const auto& [k, v] : c.metadata) {
    p.str(k);
    p.str(v);
  }
  const std::vector<unsigned char>& payload = p.bytes();

  Writer f;
  for (char ch : kMagic) f.u8(static_cast<std::uint8_t>(ch));
  f.u32(kCheckpointVersion);
  f.u64(payload.size());
  auto& out = f.bytes();
  out.insert(out.end(), payload.begin(), payload.end());
  f.u32(crc32(payload.data(), payload.size()));
  return out;
}

Checkpoint decode_checkpoint(const std::vector<unsigned char>& bytes, const std::string& name) {
  if (bytes.size() < 16 || std::memcmp(bytes.data(), kMagic, 16) != 0)
    throw InputError(name, 0, "not a superion checkpoint (magic 'SUPERION_CKPT' missing)");
  if (bytes.size() < kHeaderBytes)
    throw InputError(
        name, 0,
        "truncated checkpoint: header incomplete (" + std::to_string(bytes.size()) + " bytes)");
  Reader h(bytes.data() + 16, kHeaderBytes - 16, name);
  const std::uint32_t version = h.u32();
  const std::uint64_t payload_bytes = h.u64();
  if (version != kCheckpointVersion)
    throw InputError(name, 0,
                     "checkpoint version " + std::to_string(version) +
                         " is not supported (this build reads version " +
                         std::to_string(kCheckpointVersion) + ")");
  const std::uint64_t expected = kHeaderBytes + payload_bytes + kTrailerBytes;
  if (payload_bytes > bytes.size() || bytes.size() < expected)
    throw InputError(name, 0,
                     "truncated checkpoint: file has " + std::to_string(bytes.size()) +
                         " bytes, header announces " + std::to_string(expected));
  if (bytes.size() > expected)
    throw InputError(name, 0,
                     "corrupt checkpoint: " + std::to_string(bytes.size() - expected) +
                         " unexpected bytes after the checksum");
  const unsigned char* payload = bytes.data() + kHeaderBytes;
  Reader t(payload + payload_bytes, kTrailerBytes, name);
  const std::uint32_t stored = t.u32();
  const std::uint32_t actual = crc32(payload, static_cast<std::size_t>(payload_bytes));
  if (stored != actual) {
    std::ostringstream msg;
    msg << std::hex << "corrupt checkpoint: CRC-32 mismatch (stored 0x" << stored << ", computed 0x"
        << actual << ")";
    throw InputError(name, 0, msg.str());
  }

  Reader r(payload, static_cast<std::size_t>(payload_bytes), name);
  Checkpoint c;
  r.field("step");
  c.step = r.i64();
  r.field("time");
  c.time_ps = r.f64();
  r.field("cell");
  for (int i = 0; i < 3; ++i)
    for (int k = 0; k < 3; ++k) c.cell[i][k] = r.f64();
  r.field("pbc");
  for (int k = 0; k < 3; ++k) c.pbc[k] = r.u8() != 0;
  r.field("positions");
  c.positions = r.vecs();
  r.field("images");
  c.images.resize(r.count(12));
  for (auto& im : c.images)
    for (int k = 0; k < 3; ++k) im[k] = r.i32();
  r.field("velocities");
  c.velocities = r.vecs();
  r.field("types");
  c.types.resize(r.count(4));
  for (int& v : c.types) v = r.i32();
  r.field("species_symbols");
  c.species_symbols.resize(r.count(8));
  for (auto& s : c.species_symbols) s = r.str();
  r.field("masses");
  c.masses = r.doubles();
  r.field("thermostat_type");
  c.thermostat_type = r.str();
  r.field("thermostat_state");
  c.thermostat_state = r.doubles();
  r.field("rng_state");
  c.rng_state = r.str();
  r.field("arrays");
  const std::size_t na = r.count(16);
  for (std::size_t i = 0; i < na; ++i) {
    std::string k = r.str();
    c.arrays[k] = r.doubles();
  }
  r.field("metadata");
  const std::size_t nm = r.count(16);
  for (std::size_t i = 0; i < nm; ++i) {
    std::string k = r.str();
    c.metadata[k] = r.str();
  }
  r.field("end");
  if (!r.done()) r.fail("extra bytes after the last field");
  try {
    check_sizes(c);
  } catch (const Error& e) {
    throw InputError(name, 0, std::string("inconsistent checkpoint: ") + e.what());
  }
  return c;
}

void write_checkpoint(const std::filesystem::path& path, const Checkpoint& ckpt) {
  const std::vector<unsigned char> bytes = encode_checkpoint(ckpt);
  AtomicFile file(path, std::ios::binary);
  file.stream().write(reinterpret_cast<const char*>(bytes.data()),
                      static_cast<std::streamsize>(bytes.size()));
  file.stream().flush();
  if (!file.stream()) throw Error("cannot write checkpoint '" + file.temp_path().string() + "'");
  // Keep the previous checkpoint as .bak: hard link (path stays valid throughout), copy if the
  // file system has no hard links.
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    const std::filesystem::path bak = path.string() + ".bak";
    std::filesystem::remove(bak, ec);
    std::filesystem::create_hard_link(path, bak, ec);
    if (ec) {
      ec.clear();
      std::filesystem::copy_file(path, bak, std::filesystem::copy_options::overwrite_existing, ec);
      if (ec)
        throw Error("cannot keep previous checkpoint as '" + bak.string() + "': " + ec.message());
    }
  }
  file.commit();
}

Checkpoint read_checkpoint(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "cannot open checkpoint");
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path.string(), 0, "read error");
  return decode_checkpoint(bytes, path.string());
}

std::string rng_state_string(const std::mt19937_64& rng) {
  std::ostringstream s;
  s << rng;
  return s.str();
}

void restore_rng_state(std::mt19937_64& rng, const std::string& state) {
  std::istringstream s(state);
  std::mt19937_64 r;
  s >> r;
  if (s.fail()) throw Error("invalid mt19937_64 state string in checkpoint");
  rng = r;
}

}  // namespace superion::md
