# Entry points: `make demo`, `make test`, `make bench`. Everything builds in build/;
# `make test-sanitize` builds in build-sanitize/.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)

.PHONY: all deps test-deps configure build demo test test-sanitize bench package clean

all: build

deps:
	@./scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) > $(BUILD_DIR).configure.log 2>&1 \
	  || { cat $(BUILD_DIR).configure.log; exit 1; }

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Opens the console in local demo mode. Without a display it renders the dashboard
# to build/demo.png instead and says so.
demo: build
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  ./$(BUILD_DIR)/bin/flywheel --demo; \
	else \
	  echo "No display found: rendering the demo dashboard to $(BUILD_DIR)/demo.png instead."; \
	  ./$(BUILD_DIR)/bin/flywheel --demo --screenshot $(BUILD_DIR)/demo.png --after 3 && \
	  echo "Wrote $(BUILD_DIR)/demo.png"; \
	fi

test-deps:
	@./scripts/install-deps --test

test: test-deps build
	@cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 600

# Every test, the fuzz corpora included, built with AddressSanitizer and
# UndefinedBehaviorSanitizer (LeakSanitizer on). Any finding fails the test that made it;
# the few known findings in system libraries are suppressed in tests/sanitizers/, each
# with its reason.
SANITIZE_DIR ?= build-sanitize
SANITIZERS := $(CURDIR)/tests/sanitizers
ASAN_OPTIONS ?= halt_on_error=1:detect_leaks=1:strict_init_order=1:check_initialization_order=1
LSAN_OPTIONS ?= suppressions=$(SANITIZERS)/lsan.supp:print_suppressions=0
UBSAN_OPTIONS ?= halt_on_error=1:print_stacktrace=1:suppressions=$(SANITIZERS)/ubsan.supp

test-sanitize: deps
	@cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DFLYWHEEL_SANITIZE=ON $(CMAKE_FLAGS) \
	  > $(SANITIZE_DIR).configure.log 2>&1 || { cat $(SANITIZE_DIR).configure.log; exit 1; }
	@cmake --build $(SANITIZE_DIR) -j $(JOBS)
	@cd $(SANITIZE_DIR) && ASAN_OPTIONS='$(ASAN_OPTIONS)' LSAN_OPTIONS='$(LSAN_OPTIONS)' UBSAN_OPTIONS='$(UBSAN_OPTIONS)' \
	  QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 1800

bench: build
	@./$(BUILD_DIR)/bin/flywheel-bench

# Debian packages flywheel_<version>-1_<arch>.deb (the console) and
# flywheeld_<version>-1_<arch>.deb (the daemon and its systemd unit) in $(BUILD_DIR)/,
# then the validators (lintian, desktop-file-validate, appstreamcli, promtool, man).
package: build
	@cd $(BUILD_DIR) && cpack -G DEB
	@./packaging/check-packaging.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR) $(BUILD_DIR).configure.log $(SANITIZE_DIR) $(SANITIZE_DIR).configure.log
