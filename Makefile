# stepsim: convenience targets around CMake/CTest (Debian bookworm).
#   make deps      install missing Debian build dependencies (apt-get)
#   make build     configure (once) and build into $(BUILD_DIR)
#   make test      build, then run the test suite
#   make demo      build, then run the cold-start accumulation study and print its table
#   make sanitize  build with ASan/UBSan into $(ASAN_BUILD_DIR) and run the tests
#   make clean     remove the build directories

BUILD_DIR      ?= build
ASAN_BUILD_DIR ?= build-asan
BUILD_TYPE     ?= RelWithDebInfo
GENERATOR      ?= Ninja
CTEST_JOBS     ?= 2
CMAKE          ?= cmake
CTEST          ?= ctest

# Debian packages the build needs (and awscli, for the `stepsim serve` tests, when `aws` is missing). Never libboost1.74-dev (or anything pulling it in).
DEPS ?= cmake ninja-build g++ make python3 \
        libboost1.81-dev libboost-json1.81-dev libfmt-dev catch2 libcli11-dev \
        libsqlite3-dev libmimalloc-dev

DEMO_STUDY ?= examples/coldstart-accumulation/study.json
DEMO_OUT   ?= $(BUILD_DIR)/coldstart-accumulation

SHELL := /bin/bash

# ccache, when the machine has it, makes rebuilds of a fresh checkout cheap; never required.
LAUNCHER := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache,)

.PHONY: all deps build test demo sanitize sanitize-build clean

all: build

deps:
	@missing=""; \
	for p in $(DEPS); do \
	  if [ "$$(dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null)" != "install ok installed" ]; then \
	    missing="$$missing $$p"; \
	  fi; \
	done; \
	command -v aws >/dev/null 2>&1 || missing="$$missing awscli"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; \
	  elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; \
	  else echo "deps: missing packages:$$missing (run as root or install sudo)" >&2; exit 1; fi; \
	  echo "deps: installing$$missing"; \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# $(1) = build dir, $(2) = extra cmake arguments. Configures only when not configured yet.
define configure_and_build
	@if [ ! -f "$(1)/CMakeCache.txt" ]; then \
	  echo "$(CMAKE) -S . -B $(1) -G $(GENERATOR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(LAUNCHER) $(2)"; \
	  $(CMAKE) -S . -B "$(1)" -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(LAUNCHER) $(2); \
	fi
	$(CMAKE) --build $(1)
endef

build: deps
	$(call configure_and_build,$(BUILD_DIR),)

test: build
	$(CTEST) --test-dir $(BUILD_DIR) --output-on-failure -j$(CTEST_JOBS)

demo: build
	./$(BUILD_DIR)/stepsim simulate $(DEMO_STUDY) --out $(DEMO_OUT)

sanitize-build: deps
	$(call configure_and_build,$(ASAN_BUILD_DIR),-DSTEPSIM_SANITIZE=ON)

sanitize: sanitize-build
	$(CTEST) --test-dir $(ASAN_BUILD_DIR) --output-on-failure -j$(CTEST_JOBS)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR)
