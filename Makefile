# Entry points: `make demo`, `make test`, `make bench`. Everything builds in build/.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)

.PHONY: all deps configure build demo test bench clean

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
	  ./$(BUILD_DIR)/bin/flywheel --demo --screenshot $(BUILD_DIR)/demo.png --after 12 && \
	  echo "Wrote $(BUILD_DIR)/demo.png"; \
	fi

test: build
	@cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 600

bench: build
	@./$(BUILD_DIR)/bin/flywheel-bench

clean:
	rm -rf $(BUILD_DIR) $(BUILD_DIR).configure.log
