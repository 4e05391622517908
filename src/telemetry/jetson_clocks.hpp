#pragma once
// Whether jetson_clocks pinned the clocks, as jtop decides it (jtop/core/jetson_clocks.py jetson_clocks_alive): every
// online CPU core and the GPU run at min == max == current frequency. jtop reads those numbers from
// `jetson_clocks --show`, which needs root; they are the cpufreq and devfreq files the cpufreq and jetson_gpu readers
// already read, so this is derived from their sections rather than read a second time.
#include "telemetry/snapshot.hpp"

namespace edgeml::telemetry {

// Sets power_mode.jetson_clocks_active (or its reason in power_mode.unavailable_series) on a Jetson, i.e. when the
// power mode is available; leaves other devices alone.
void fill_jetson_clocks(Snapshot& s);

}  // namespace edgeml::telemetry
