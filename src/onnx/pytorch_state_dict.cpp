#include "onnx/pytorch_state_dict.hpp"

#include <cstring>
#include <map>
#include <memory>
#include <set>

#include "common/error.hpp"

namespace edgeml::onnx {

namespace {

[[noreturn]] void bad(const std::string& what) {
  throw Error(ErrorKind::bad_field, "not a readable PyTorch file: " + what, "model");
}

uint64_t le(std::string_view b, size_t at, int n) {
  if (at > b.size() || static_cast<size_t>(n) > b.size() - at) bad("record runs past the end of the file");
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(b[at + static_cast<size_t>(i)]);
  return v;
}

// ---- zip container (torch.save since 1.6 stores entries uncompressed) ----

std::string_view zip_entry_ending_with(std::string_view b, std::string_view suffix) {
  constexpr size_t kEocd = 22;
  if (b.size() < kEocd) bad("zip directory missing (file cut short)");
  const size_t lowest = b.size() > kEocd + 65535 ? b.size() - kEocd - 65535 : 0;
  for (size_t at = b.size() - kEocd + 1; at-- > lowest;) {
    if (b.substr(at, 4) != std::string_view("PK\x05\x06", 4)) continue;
    const uint64_t count = le(b, at + 10, 2), cd = le(b, at + 16, 4);
    if (cd == 0xffffffff || count == 0xffff) bad("zip64 archives (over 4 GiB) are not supported");
    size_t p = static_cast<size_t>(cd);
    for (uint64_t i = 0; i < count; ++i) {
      if (le(b, p, 4) != 0x02014b50) bad("corrupt zip central directory");
      const uint64_t method = le(b, p + 10, 2), size = le(b, p + 20, 4), name_len = le(b, p + 28, 2),
                     extra = le(b, p + 30, 2), comment = le(b, p + 32, 2), local = le(b, p + 42, 4);
      if (p + 46 + name_len > b.size()) bad("corrupt zip central directory");
      const std::string_view name = b.substr(p + 46, name_len);
      if (name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
        if (method != 0) bad("entry '" + std::string(name) + "' is compressed (torch.save stores entries as they are)");
        if (le(b, local, 4) != 0x04034b50) bad("corrupt zip local header");
        const size_t data = static_cast<size_t>(local) + 30 + le(b, local + 26, 2) + le(b, local + 28, 2);
        if (data > b.size() || size > b.size() - data) bad("entry '" + std::string(name) + "' runs past the end");
        return b.substr(data, size);
      }
      p += 46 + name_len + extra + comment;
    }
    bad("no data.pkl in the archive");
  }
  bad("zip directory missing (file cut short)");
}

// ---- the pickle subset torch.save writes ----

struct Value;
using Ptr = std::shared_ptr<Value>;
struct Value {
  enum class Kind {
    none,
    boolean,
    integer,
    real,
    text,
    bytes,
    tuple,
    list,
    dict,
    global,
    object,
    storage,
    tensor,
    mark
  };
  Kind kind = Kind::none;
  int64_t i = 0;
  std::string s;                             // text, bytes, global "module.name", storage dtype, object class
  std::vector<Ptr> items;                    // tuple, list, object state
  std::vector<std::pair<Ptr, Ptr>> entries;  // dict
  std::vector<int64_t> shape;                // tensor
};

Ptr make(Value::Kind k) {
  auto v = std::make_shared<Value>();
  v->kind = k;
  return v;
}

std::string storage_dtype(const std::string& type) {
  static const std::map<std::string, std::string> names = {
      {"FloatStorage", "float32"},     {"HalfStorage", "float16"},
      {"BFloat16Storage", "bfloat16"}, {"DoubleStorage", "float64"},
      {"CharStorage", "int8"},         {"ByteStorage", "uint8"},
      {"ShortStorage", "int16"},       {"IntStorage", "int32"},
      {"LongStorage", "int64"},        {"BoolStorage", "bool"},
      {"QInt8Storage", "qint8"},       {"QUInt8Storage", "quint8"},
      {"QInt32Storage", "qint32"},     {"ComplexFloatStorage", "complex64"}};
  const auto dot = type.rfind('.');
  auto it = names.find(dot == std::string::npos ? type : type.substr(dot + 1));
  return it == names.end() ? "unknown(" + type + ")" : it->second;
}

class Unpickler {
 public:
  explicit Unpickler(std::string_view b) : b_(b) {}
  bool at_end() const { return pos_ >= b_.size(); }

  Ptr load() {
    stack_.clear();
    marks_.clear();
    memo_.clear();
    while (true) {
      if (++ops_ > kMaxOps) bad("pickle stream too long");
      const uint8_t op = byte();
      switch (op) {
        case 0x80:
          byte();
          break;  // PROTO
        case 0x95:
          take(8);
          break;  // FRAME
        case '}':
          push(make(Value::Kind::dict));
          break;
        case ']':
          push(make(Value::Kind::list));
          break;
        case ')':
          push(make(Value::Kind::tuple));
          break;
        case 0x8f:
          push(make(Value::Kind::list));
          break;  // EMPTY_SET (kept as a list)
        case '(':
          marks_.push_back(stack_.size());
          break;
        case 'N':
          push(make(Value::Kind::none));
          break;
        case 0x88:
        case 0x89: {
          auto v = make(Value::Kind::boolean);
          v->i = op == 0x88;
          push(v);
          break;
        }
        case 'K':
          integer(static_cast<int64_t>(le(b_, advance(1), 1)));
          break;
        case 'M':
          integer(static_cast<int64_t>(le(b_, advance(2), 2)));
          break;
        case 'J':
          integer(static_cast<int32_t>(le(b_, advance(4), 4)));
          break;
        case 0x8a:
          long_int(static_cast<size_t>(le(b_, advance(1), 1)));
          break;
        case 0x8b:
          long_int(static_cast<size_t>(le(b_, advance(4), 4)));
          break;
        case 'G': {
          take(8);
          push(make(Value::Kind::real));
          break;
        }
        case 'X':
          text(Value::Kind::text, le(b_, advance(4), 4));
          break;
        case 0x8c:
          text(Value::Kind::text, le(b_, advance(1), 1));
          break;
        case 0x8d:
          text(Value::Kind::text, le(b_, advance(8), 8));
          break;
        case 'T':
          text(Value::Kind::bytes, le(b_, advance(4), 4));
          break;
        case 'U':
          text(Value::Kind::bytes, le(b_, advance(1), 1));
          break;
        case 'B':
          text(Value::Kind::bytes, le(b_, advance(4), 4));
          break;
        case 'C':
          text(Value::Kind::bytes, le(b_, advance(1), 1));
          break;
        case 0x8e:
          text(Value::Kind::bytes, le(b_, advance(8), 8));
          break;
        case 'q':
          memo_[le(b_, advance(1), 1)] = top();
          break;
        case 'r':
          memo_[le(b_, advance(4), 4)] = top();
          break;
        case 0x94:
          memo_[memo_.size()] = top();
          break;  // MEMOIZE
        case 'h':
          get(le(b_, advance(1), 1));
          break;
        case 'j':
          get(le(b_, advance(4), 4));
          break;
        case 'c': {  // GLOBAL "module\nname\n"
          auto g = make(Value::Kind::global);
          const std::string module = line();  // two statements: the operands of + are unsequenced
          g->s = module + "." + line();
          push(g);
          break;
        }
        case 0x93: {  // STACK_GLOBAL
          Ptr name = pop(), module = pop();
          auto g = make(Value::Kind::global);
          g->s = module->s + "." + name->s;
          push(g);
          break;
        }
        case 't': {
          auto t = make(Value::Kind::tuple);
          t->items = pop_mark();
          push(t);
          break;
        }
        case 0x85:
        case 0x86:
        case 0x87: {
          auto t = make(Value::Kind::tuple);
          t->items.resize(op - 0x84);
          for (size_t k = t->items.size(); k-- > 0;) t->items[k] = pop();
          push(t);
          break;
        }
        case 'l': {
          auto l = make(Value::Kind::list);
          l->items = pop_mark();
          push(l);
          break;
        }
        case 'd': {
          auto items = pop_mark();
          auto d = make(Value::Kind::dict);
          for (size_t k = 0; k + 1 < items.size(); k += 2) d->entries.emplace_back(items[k], items[k + 1]);
          push(d);
          break;
        }
        case 'a': {
          Ptr v = pop();
          add_items(top(), {v});
          break;
        }
        case 'e':
        case 0x90: {
          auto items = pop_mark();
          add_items(top(), items);
          break;
        }
        case 's': {
          Ptr v = pop(), k = pop();
          set_items(top(), {k, v});
          break;
        }
        case 'u': {
          auto items = pop_mark();
          set_items(top(), items);
          break;
        }
        case 'Q':
          push(persistent(pop()));
          break;  // BINPERSID
        case 'R': {
          Ptr args = pop(), callable = pop();
          push(reduce(callable, args));
          break;
        }
        case 0x81: {
          Ptr args = pop(), cls = pop();
          push(reduce(cls, args));
          break;
        }  // NEWOBJ
        case 'b': {
          Ptr state = pop();
          if (top()->kind == Value::Kind::object) top()->items.push_back(state);
          break;
        }
        case '0':
          pop();
          break;
        case '1':
          pop_mark();
          break;
        case '2':
          push(top());
          break;
        case '.':
          return pop();  // STOP
        default: {
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02x", op);
          bad(std::string("pickle opcode ") + hex + " at byte " + std::to_string(pos_ - 1) +
              " is not one torch.save writes");
        }
      }
    }
  }

 private:
  static constexpr uint64_t kMaxOps = 50'000'000;
  static constexpr size_t kMaxStack = 1'000'000;

  uint8_t byte() { return static_cast<uint8_t>(le(b_, advance(1), 1)); }
  size_t advance(size_t n) {
    if (n > b_.size() - std::min(pos_, b_.size())) bad("pickle stream cut short");
    const size_t at = pos_;
    pos_ += n;
    return at;
  }
  std::string_view take(uint64_t n) {
    if (n > b_.size() - pos_) bad("pickle stream cut short");
    return b_.substr(advance(static_cast<size_t>(n)), static_cast<size_t>(n));
  }
  std::string line() {
    const size_t end = b_.find('\n', pos_);
    if (end == std::string_view::npos || end - pos_ > 256) bad("bad GLOBAL record");
    std::string s(b_.substr(pos_, end - pos_));
    pos_ = end + 1;
    return s;
  }
  void push(Ptr v) {
    if (stack_.size() >= kMaxStack) bad("pickle stack too deep");
    stack_.push_back(std::move(v));
  }
  Ptr pop() {
    if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back())) bad("pickle stack underflow");
    Ptr v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  Ptr top() {
    if (stack_.empty()) bad("pickle stack underflow");
    return stack_.back();
  }
  std::vector<Ptr> pop_mark() {
    if (marks_.empty()) bad("pickle MARK missing");
    const size_t m = marks_.back();
    marks_.pop_back();
    std::vector<Ptr> items(stack_.begin() + static_cast<long>(m), stack_.end());
    stack_.resize(m);
    return items;
  }
  void get(uint64_t key) {
    auto it = memo_.find(key);
    if (it == memo_.end()) bad("pickle memo key " + std::to_string(key) + " never stored");
    push(it->second);
  }
  void integer(int64_t v) {
    auto p = make(Value::Kind::integer);
    p->i = v;
    push(p);
  }
  void long_int(size_t n) {
    const std::string_view raw = take(n);
    int64_t v = 0;
    for (size_t k = std::min<size_t>(n, 8); k-- > 0;) v = v << 8 | static_cast<uint8_t>(raw[k]);
    if (n > 0 && n < 8 && (static_cast<uint8_t>(raw[n - 1]) & 0x80)) v -= int64_t{1} << (8 * n);  // sign
    integer(v);
  }
  void text(Value::Kind kind, uint64_t n) {
    auto v = make(kind);
    v->s = std::string(take(n));
    push(v);
  }
  static void add_items(const Ptr& target, const std::vector<Ptr>& items) {
    if (target->kind != Value::Kind::list && target->kind != Value::Kind::object) bad("APPEND to a non-list");
    target->items.insert(target->items.end(), items.begin(), items.end());
  }
  static void set_items(const Ptr& target, const std::vector<Ptr>& items) {
    if (target->kind != Value::Kind::dict) bad("SETITEM on a non-dict");
    for (size_t k = 0; k + 1 < items.size(); k += 2) target->entries.emplace_back(items[k], items[k + 1]);
  }
  // ('storage', storage_type, key, location, numel[, view_metadata]) -> a storage of that dtype.
  static Ptr persistent(const Ptr& pid) {
    if (pid->kind != Value::Kind::tuple || pid->items.size() < 2 || pid->items[0]->s != "storage")
      bad("persistent id is not a torch storage");
    auto st = make(Value::Kind::storage);
    const Ptr& type = pid->items[1];
    st->s = storage_dtype(type->kind == Value::Kind::global ? type->s : type->s);
    return st;
  }
  static std::vector<int64_t> ints(const Ptr& tuple) {
    if (tuple->kind != Value::Kind::tuple) bad("tensor size is not a tuple");
    std::vector<int64_t> out;
    for (const auto& v : tuple->items) {
      if (v->kind != Value::Kind::integer || v->i < 0) bad("tensor size holds a non-integer or negative value");
      out.push_back(v->i);
    }
    return out;
  }
  static Ptr reduce(const Ptr& callable, const Ptr& args) {
    const std::string name = callable->kind == Value::Kind::global ? callable->s : "";
    if (args->kind != Value::Kind::tuple) bad("call arguments are not a tuple");
    const auto& a = args->items;
    if ((name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor" ||
         name == "torch._utils._rebuild_qtensor") &&
        a.size() >= 3 && a[0]->kind == Value::Kind::storage) {
      auto t = make(Value::Kind::tensor);
      t->s = a[0]->s;
      t->shape = ints(a[2]);
      return t;
    }
    if (name == "torch._utils._rebuild_parameter" && !a.empty() && a[0]->kind == Value::Kind::tensor) return a[0];
    if (name == "collections.OrderedDict") return make(Value::Kind::dict);
    auto o = make(Value::Kind::object);
    o->s = name;
    o->items = a;
    return o;
  }

  std::string_view b_;
  size_t pos_ = 0;
  uint64_t ops_ = 0;
  std::vector<Ptr> stack_;
  std::vector<size_t> marks_;
  std::map<uint64_t, Ptr> memo_;
};

void collect(const Ptr& v, const std::string& prefix, std::vector<TorchTensor>& out, std::set<const Value*>& seen) {
  if (!seen.insert(v.get()).second) return;  // memo references can make cycles
  auto join = [&](const std::string& key) { return prefix.empty() ? key : prefix + "." + key; };
  switch (v->kind) {
    case Value::Kind::tensor:
      out.push_back({prefix, v->shape, v->s});
      return;
    case Value::Kind::dict:
      for (const auto& [k, item] : v->entries)
        collect(item, join(k->kind == Value::Kind::text ? k->s : "?"), out, seen);
      return;
    case Value::Kind::list:
    case Value::Kind::tuple:
    case Value::Kind::object:
      for (size_t i = 0; i < v->items.size(); ++i)
        collect(v->items[i], prefix + "[" + std::to_string(i) + "]", out, seen);
      return;
    default:
      return;
  }
}

}  // namespace

int64_t TorchTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  return n;
}

bool is_parameter(const TorchTensor& t) {
  auto ends_with = [&](std::string_view s) {
    return t.name.size() >= s.size() && t.name.compare(t.name.size() - s.size(), s.size(), s) == 0;
  };
  if (ends_with("running_mean") || ends_with("running_var") || ends_with("num_batches_tracked")) return false;
  return t.dtype.rfind("float", 0) == 0 || t.dtype == "bfloat16" || t.dtype.rfind("q", 0) == 0;
}

std::vector<TorchTensor> read_torch_tensors(std::string_view bytes) {
  Ptr root;
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    Unpickler u(zip_entry_ending_with(bytes, "data.pkl"));
    root = u.load();
  } else {
    // Legacy torch.save: magic number, protocol version, system info, then the object; storages follow.
    Unpickler u(bytes);
    for (int k = 0; k < 3; ++k) u.load();
    root = u.load();
  }
  std::vector<TorchTensor> out;
  std::set<const Value*> seen;
  collect(root, "", out, seen);
  for (auto& t : out) {
    if (!t.name.empty() && t.name[0] == '.') t.name.erase(0, 1);
    int64_t n = 1;
    for (int64_t d : t.shape) {
      if (d > 0 && n > (int64_t{1} << 40) / d) bad("tensor '" + t.name + "' is implausibly large");
      n *= d;
    }
  }
  return out;
}

}  // namespace edgeml::onnx
