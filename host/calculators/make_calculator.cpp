// Calculator factory: parses "kind:argument" specifications.
#include <filesystem>
#include <sstream>

#include "calculators/calculator.hpp"
#include "calculators/classical.hpp"
#include "calculators/command_calculator.hpp"
#include "calculators/mtp_calculator.hpp"
#include "core/error.hpp"

namespace superion {

bool parse_mtp_spec(const std::string& spec, std::string* potential,
                    std::vector<std::string>* species) {
  if (spec.rfind("mtp:", 0) != 0 || spec.size() == 4) return false;
  const std::string arg = spec.substr(4);
  const auto sep = arg.find(':');
  *potential = arg.substr(0, sep);
  species->clear();
  if (sep != std::string::npos) {
    std::stringstream ss(arg.substr(sep + 1));
    std::string item;
    while (std::getline(ss, item, ',')) species->push_back(item);
  }
  return true;
}

std::unique_ptr<Calculator> make_calculator(const std::string& spec) {
  // command:TEMPLATE / command[OPTIONS]:TEMPLATE (the template itself may contain ':').
  if (spec.rfind("command-batch", 0) == 0 && spec.size() > 13 &&
      (spec[13] == ':' || spec[13] == '['))
    return std::make_unique<CommandCalculator>(parse_command_spec(spec.substr(13), true));
  if (spec.rfind("command", 0) == 0 && spec.size() > 7 && (spec[7] == ':' || spec[7] == '['))
    return std::make_unique<CommandCalculator>(parse_command_spec(spec.substr(7)));
  const auto colon = spec.find(':');
  const std::string kind = spec.substr(0, colon);
  const std::string arg = colon == std::string::npos ? "" : spec.substr(colon + 1);
  if (kind == "classical" && !arg.empty()) {
    if (arg.size() > 5 && arg.substr(arg.size() - 5) == ".json")
      return std::make_unique<ClassicalCalculator>(read_classical_parameters(arg));
    return std::make_unique<ClassicalCalculator>(shipped_classical_parameters(arg));
  }
  std::string potential;
  std::vector<std::string> species;
  if (parse_mtp_spec(spec, &potential, &species)) {
    auto calc = std::make_unique<MtpCalculator>(potential, species);
    print_species_mapping(calc->species());
    return calc;
  }
  throw Error("unknown calculator '" + spec +
              "' (expected classical:NaCl, classical:Na3OCl, classical:FILE.json, "
              "mtp:POT.mtp[:Na,Cl,...], command[OPTIONS]:'PROGRAM ARGS', "
              "command-batch[OPTIONS]:'PROGRAM ARGS')");
}

}  // namespace superion
