// `--device auto|gpu|cpu|emu`: which engine runs MD (and batched MTP evaluation).
//   cpu  the CPU engine (Simulation + MtpCpuBackend, replicas one after another)
//   emu  the device backend built for the host (Thrust OpenMP system): the GPU code path on the CPU
//   gpu  the device backend built by nvcc, on a CUDA device
//   auto gpu when this build has the CUDA backend and a device is present, else cpu
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api.hpp"

namespace superion::md {

enum class DeviceKind { kCpu, kEmu, kGpu };

// True when this program was built with the CUDA backend.
bool cuda_backend_built();
// Number of usable CUDA devices (0 without the CUDA backend).
int cuda_device_count();
// Parses and resolves the option; throws superion::Error for unknown text or when `gpu` is asked
// for without a CUDA backend or device (the message says which).
DeviceKind resolve_device(const std::string& text);
std::string device_label(DeviceKind kind);  // "cpu", "emu", "gpu"
// A description for logs: "cpu", "emu (host, OpenMP, emulated device)", "gpu (NVIDIA H100 …)".
std::string device_description(DeviceKind kind);

// The device backend of `kind` (emu or gpu; throws for cpu).
std::unique_ptr<device::MdEngine> make_device_engine(
    DeviceKind kind, const device::MdEngineConfig& config,
    const std::vector<device::MdSystemInput>& systems);
std::vector<MtpPrediction> device_evaluate(DeviceKind kind, const Mtp& model,
                                           const std::vector<Structure>& structures,
                                           const std::optional<TypeWalls>& walls = std::nullopt);

}  // namespace superion::md
