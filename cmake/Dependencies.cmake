# All third-party lookups live here, once. Each line is the form verified on Debian 12 (see ../shared/notes/dependencies.md).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)                                      # sha256 (EVP); also what cpp-httplib links
find_package(nlohmann_json 3.11 REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)     # tests only: their HTTP client and fake upstream servers
find_package(Boost 1.81 REQUIRED)                                   # Beast/Asio (header-only): the services' HTTP server
pkg_check_modules(XGBOOST REQUIRED IMPORTED_TARGET xgboost)         # find_package(xgboost) is broken on Debian
find_package(Protobuf REQUIRED)                                     # before ONNX: its config does not find it
find_package(ONNX REQUIRED)                                         # targets onnx, onnx_proto (ONNX_ML=1, ONNX_NAMESPACE=onnx)
find_package(OpenCV 4.6 REQUIRED COMPONENTS core dnn imgcodecs imgproc)
find_package(SQLite3 REQUIRED)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)               # PostgreSQL client (--db postgresql://...)
find_package(CURL REQUIRED)
pkg_check_modules(MOSQUITTO REQUIRED IMPORTED_TARGET libmosquitto) # 2.0.11, C API (no CMake config, mosquittopp deprecated)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)      # 1.0.18: argon2id passwords, secretbox, HMAC, random tokens
find_package(ZLIB REQUIRED)                                         # tests: writing a real PNG that claims a huge image
find_package(GTest REQUIRED)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)  # libxlsxwriter-dev 1.1.4: reports as .xlsx
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo cairo-pdf)   # libcairo2-dev 1.16: reports as PDF with charts
# FlatBuffers (libflatbuffers-dev 2.0.8): header-only use of its Verifier and Table for the TFLite reader (src/tflite);
# the TFLite schema is not compiled in, so no library and no flatc are needed.
find_path(FLATBUFFERS_INCLUDE_DIR flatbuffers/flatbuffers.h REQUIRED)
find_package(benchmark QUIET)

# ONNX Runtime: no Debian package. scripts/fetch-onnxruntime.sh unpacks the official build from npm into
# third_party/onnxruntime; a device with its own install passes -DONNXRUNTIME_ROOT=/usr/local (or wherever).
set(ONNXRUNTIME_ROOT ${CMAKE_SOURCE_DIR}/third_party/onnxruntime CACHE PATH "folder with include/ and lib/ of ONNX Runtime")
find_path(ORT_INCLUDE_DIR onnxruntime_c_api.h PATHS ${ONNXRUNTIME_ROOT}/include ${ONNXRUNTIME_ROOT}/include/onnxruntime NO_DEFAULT_PATH)
find_library(ORT_LIBRARY NAMES onnxruntime PATHS ${ONNXRUNTIME_ROOT}/lib NO_DEFAULT_PATH)
if(ORT_INCLUDE_DIR AND ORT_LIBRARY)
  add_library(onnxruntime SHARED IMPORTED)
  set_target_properties(onnxruntime PROPERTIES
    IMPORTED_LOCATION ${ORT_LIBRARY}
    INTERFACE_INCLUDE_DIRECTORIES ${ORT_INCLUDE_DIR})
  set(EDGEML_HAVE_ORT ON)
  message(STATUS "ONNX Runtime: ${ORT_LIBRARY}")
else()
  set(EDGEML_HAVE_ORT OFF)
  message(WARNING "ONNX Runtime not found under ${ONNXRUNTIME_ROOT}: building without the ORT backend (run scripts/setup.sh)")
endif()
