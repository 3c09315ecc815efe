// Device selection for the MD commands; see device_choice.hpp.
#include "device_choice.hpp"

#include "core/error.hpp"

namespace superion::md {

bool cuda_backend_built() {
#ifdef SUPERION_HAVE_CUDA
  return true;
#else
  return false;
#endif
}

int cuda_device_count() {
#ifdef SUPERION_HAVE_CUDA
  return device::cuda_backend::device_count();
#else
  return 0;
#endif
}

DeviceKind resolve_device(const std::string& text) {
  if (text == "cpu") return DeviceKind::kCpu;
  if (text == "emu") return DeviceKind::kEmu;
  if (text == "auto") return cuda_device_count() > 0 ? DeviceKind::kGpu : DeviceKind::kCpu;
  if (text == "gpu") {
    if (!cuda_backend_built())
      throw Error(
          "--device gpu: this superion was built without the CUDA backend (no nvcc at build "
          "time); use --device cpu, or emu for the device code path on the CPU");
    if (cuda_device_count() == 0)
      throw Error(
          "--device gpu: no CUDA device is present (or the driver is not usable); use "
          "--device cpu or auto");
    return DeviceKind::kGpu;
  }
  throw Error("--device: unknown device '" + text + "' (expected auto, gpu, cpu or emu)");
}

std::string device_label(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::kCpu:
      return "cpu";
    case DeviceKind::kEmu:
      return "emu";
    case DeviceKind::kGpu:
      return "gpu";
  }
  return "cpu";
}

std::string device_description(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::kCpu:
      return "cpu (CPU engine)";
    case DeviceKind::kEmu:
      return "emu (" + device::emu_backend::device_name() + ")";
    case DeviceKind::kGpu:
#ifdef SUPERION_HAVE_CUDA
      return "gpu (" + device::cuda_backend::device_name() + ")";
#else
      return "gpu (not built)";
#endif
  }
  return "cpu";
}

std::unique_ptr<device::MdEngine> make_device_engine(
    DeviceKind kind, const device::MdEngineConfig& config,
    const std::vector<device::MdSystemInput>& systems) {
  if (kind == DeviceKind::kEmu) return device::emu_backend::make_md_engine(config, systems);
#ifdef SUPERION_HAVE_CUDA
  if (kind == DeviceKind::kGpu) return device::cuda_backend::make_md_engine(config, systems);
#endif
  throw Error("make_device_engine: no device backend for '" + device_label(kind) + "'");
}

std::vector<MtpPrediction> device_evaluate(DeviceKind kind, const Mtp& model,
                                           const std::vector<Structure>& structures,
                                           const std::optional<TypeWalls>& walls) {
  if (kind == DeviceKind::kEmu) return device::emu_backend::evaluate(model, structures, walls);
#ifdef SUPERION_HAVE_CUDA
  if (kind == DeviceKind::kGpu) return device::cuda_backend::evaluate(model, structures, walls);
#endif
  throw Error("device_evaluate: no device backend for '" + device_label(kind) + "'");
}

}  // namespace superion::md
