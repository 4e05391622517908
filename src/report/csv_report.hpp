#pragma once
// The report as one CSV table in long form, so any reader (a spreadsheet, pandas, awk) takes it whole:
//   section,device,model,figure,value,unit,time,detail
// section: report | definition | device | model | alert | power_w | temperature_c. A figure without a value leaves
// value empty and says why in detail ("unavailable: ..."). Times are ISO 8601 UTC; values keep full precision.
#include <string>

#include "report/report_data.hpp"

namespace edgeml::report {

std::string render_csv(const ReportData& data);

}  // namespace edgeml::report
