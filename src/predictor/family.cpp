#include "predictor/family.hpp"

#include <cctype>

#include "common/strings.hpp"

namespace edgeml::predictor {

std::string family(std::string_view model_name) {
  std::string name = to_lower(trim(model_name));
  std::string_view rest = name;
  if (rest.rfind("tf_", 0) == 0 && rest.size() > 3) rest.remove_prefix(3);
  std::string_view word = rest.substr(0, rest.find('_'));
  size_t i = 0;
  while (i < word.size()) {
    if (std::isdigit(static_cast<unsigned char>(word[i]))) {
      bool version = i > 0 && word[i - 1] == 'v' && i > 1;
      if (!version) break;
      while (i < word.size() && std::isdigit(static_cast<unsigned char>(word[i]))) ++i;  // keep "v3", stop after it
      return std::string(word.substr(0, i));
    }
    ++i;
  }
  if (i == 0) return name;  // starts with a digit (or empty): no prefix to group by
  return std::string(word.substr(0, i));
}

}  // namespace edgeml::predictor
