#pragma once
// Who this device is, for enrollment: the machine id (systemd's /etc/machine-id, stable across reboots and agent
// reinstalls), the board as its firmware names it, and the catalog device type that follows from it. The board name
// is read from the device tree (<sysfs>/firmware/devicetree/base/model, which /proc/device-tree links to, as on
// Jetson and Raspberry Pi) or else from DMI (<sysfs>/class/dmi/id/product_name, PCs and VMs); nothing is guessed:
// a field with no source is empty and `model_source` says so.
#include <filesystem>
#include <string>

namespace edgeml::agent {

struct DeviceIdentity {
  std::string machine_id;    // 32 hex digits, or "" when the file is missing
  std::string model;         // "NVIDIA Jetson Nano Developer Kit", "Raspberry Pi 5 Model B Rev 1.0", ...
  std::string model_source;  // the file it was read from, or why there is none
  std::string device_type;   // jetson_nano, jetson_orin_nano, rpi5, ... or the model in catalog form; "unknown"
};

DeviceIdentity read_device_identity(const std::filesystem::path& sysfs_root, const std::filesystem::path& procfs_root,
                                    const std::filesystem::path& machine_id_file);

// The catalog's device type for a board name: the boards the catalog has data for by their family name, any other
// board as its name in lower case with '_' between words (at most 64 characters); "unknown" for an empty name.
std::string device_type_for_model(const std::string& model);

}  // namespace edgeml::agent
