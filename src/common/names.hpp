#pragma once
// Names that cross the wire and become file or folder names (model names, device names): one rule for the
// controller and the agent. [A-Za-z0-9._-]{1,128}, not starting with '.', no "..".
#include <string>

namespace edgeml {

// Throws FieldError(field) naming what is wrong.
void validate_name(const std::string& name, const std::string& field);

}  // namespace edgeml
