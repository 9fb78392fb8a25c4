# isofuzz: entry points.  `make test` and `make campaign` work on a fresh
# Debian 12 machine: they install what is missing first.

BUILD ?= build
MESON_FLAGS ?=

# Debian 12 packages the project builds and runs with.
DEB_PACKAGES := meson ninja-build clang llvm libclang-rt-14-dev afl++ \
	libcapstone-dev libglib2.0-dev qemu-system-arm gcc-aarch64-linux-gnu \
	pkg-config python3

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps configure build test campaign clean

all: build

# Idempotent: asks dpkg which packages are missing and installs only those.
deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' \
			|| missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_FLAGS)

configure: deps $(BUILD)/build.ninja

build: configure
	ninja -C $(BUILD)

test: build
	meson test -C $(BUILD) --print-errorlogs --num-processes 2

clean:
	rm -rf $(BUILD)
