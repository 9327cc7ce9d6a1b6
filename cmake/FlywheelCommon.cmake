# One INTERFACE target carries the project-wide policy; every target links it and
# nothing is set per directory.
add_library(flywheel_common INTERFACE)
target_compile_features(flywheel_common INTERFACE cxx_std_20)
target_compile_definitions(flywheel_common INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CONTEXTLESS_CONNECT
  QT_NO_KEYWORDS
  QT_NO_FOREACH)
target_compile_options(flywheel_common INTERFACE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
if(FLYWHEEL_WERROR)
  target_compile_options(flywheel_common INTERFACE -Werror)
endif()
if(FLYWHEEL_SANITIZE)
  # AddressSanitizer + UndefinedBehaviorSanitizer (`make test-sanitize`); undefined
  # behaviour aborts instead of printing and carrying on, so ctest sees it as a failure.
  set(flywheel_sanitize_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined)
  target_compile_options(flywheel_common INTERFACE ${flywheel_sanitize_flags} -fno-omit-frame-pointer)
  target_link_options(flywheel_common INTERFACE ${flywheel_sanitize_flags})
endif()
