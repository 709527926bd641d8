# imsagw: the two commands (README.md) and a few helpers.
#
#   make demo    install what is missing, build, run the gateway on virtual
#                ports with a scripted call through it, print the counters
#   make test    install what is missing, build (-Werror), run every test
#                (unit, integration), then the unit tests again under
#                ASan/UBSan; non-zero exit on any failure
#
# Both run as root on Debian 12 (apt-get, namespaces, TAP devices).

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
TSAN_BUILD ?= build-tsan
FUZZ_SECONDS ?= 10
MESON_OPTS ?= --buildtype=debugoptimized
NINJA_JOBS ?= $(shell nproc)

# Debian packages the build, the tests and the demo need.
PKGS = build-essential meson ninja-build pkg-config \
       dpdk dpdk-dev libdpdk-dev libsrtp2-dev libssl-dev libconfig-dev \
       libcunit1-dev libpcap-dev libnuma-dev libelf-dev libipsec-mb-dev \
       iproute2 iputils-ping procps python3 tshark erlang-base erlang-megaco \
       clang libfuzzer-14-dev libclang-rt-14-dev ffmpeg \
       kamailio openssl haproxy

.PHONY: all deps build asan tsan tsan-build fuzz fuzz-build hugepages test test-unit test-integration demo clean

all: build

deps:
	@missing=$$(for p in $(PKGS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; \
	  done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections; \
	  apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(BUILD)/build.ninja:
	meson setup $(BUILD) --werror $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(NINJA_JOBS)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) --werror --buildtype=debug -Db_sanitize=address,undefined \
	  -Db_lundef=false

asan: deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD) -j $(NINJA_JOBS)

# The libFuzzer targets (every parser, and SRTP unprotect), built with clang.
$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) --werror -Dfuzz=true

fuzz-build: deps $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD) -j $(NINJA_JOBS) $$(ninja -C $(FUZZ_BUILD) -t targets all | \
	  grep -o '^tests/fuzz/[a-z_]*/fuzz_[a-z0-9_]*:' | tr -d ':' | sort -u)

fuzz: fuzz-build
	bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# ThreadSanitizer over the unit tests where threads share memory: RCU flow
# publish/reclaim (test_dp_rcu, test_dp_churn) and running workers with their
# handoff rings, exception path and counters (test_dp_worker, test_dp_exc).
# Debian's DPDK is not instrumented: rte_ring's inline code is built on its
# C11 atomics (RTE_USE_C11_MEM_MODEL) so TSan sees its ordering, the edges
# that run through DPDK libraries are annotated (dataplane/dp_tsan.h), and
# tests/tsan/suppressions.txt holds what is internal to one. -Wno-tsan: the
# DPDK headers' fences (rte_atomic_thread_fence) are not TSan's to model.
# test_tsan_canary writes into a published record: it passes only when TSan
# reports that race, so a TSan that sees nothing fails the run.
TSAN_TESTS = tests/unit/dataplane/test_dp_rcu tests/unit/dataplane/test_dp_churn \
	     tests/unit/dataplane_worker/test_dp_worker tests/unit/dataplane_worker/test_dp_exc \
	     tests/unit/dataplane/test_tsan_canary

$(TSAN_BUILD)/build.ninja:
	meson setup $(TSAN_BUILD) --werror --buildtype=debug -Db_sanitize=thread -Db_lundef=false \
	  -Dc_args='-DRTE_USE_C11_MEM_MODEL -Wno-tsan'

tsan-build: deps $(TSAN_BUILD)/build.ninja
	ninja -C $(TSAN_BUILD) -j $(NINJA_JOBS) $(TSAN_TESTS)

tsan: tsan-build
	TSAN_OPTIONS="halt_on_error=0 suppressions=$(CURDIR)/tests/tsan/suppressions.txt" \
	  meson test -C $(TSAN_BUILD) --no-rebuild --print-errorlogs --timeout-multiplier 4 \
	  $(notdir $(TSAN_TESTS))

# Every suite of the normal build, then the unit suite under sanitizers
# (this includes the flow-table churn test), then each fuzz target for
# FUZZ_SECONDS. The closing line counts all of them.
test: build asan tsan-build fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) TSAN_BUILD=$(TSAN_BUILD) TSAN_TESTS="$(notdir $(TSAN_TESTS))" \
	  bash tests/run-tests.sh $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

test-unit: build
	meson test -C $(BUILD) --suite unit --print-errorlogs

test-integration: build
	meson test -C $(BUILD) --suite integration --print-errorlogs

# Reserve 1 GiB of 2 MiB hugepages when the machine has them to give; the
# gateway (eal.hugepages = "auto") falls back to --no-huge when it cannot.
hugepages:
	@mkdir -p /dev/hugepages; \
	mountpoint -q /dev/hugepages || mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null || true; \
	[ "$$(cat /proc/sys/vm/nr_hugepages)" -ge 512 ] || echo 512 > /proc/sys/vm/nr_hugepages 2>/dev/null || true; \
	echo "hugepages: $$(awk '/HugePages_Free/ {print $$2}' /proc/meminfo) free"

demo: build hugepages
	@BUILD=$(BUILD) bash tests/integration/demo.sh

# make bench [QUICK=1]: every benchmark on this machine, one table, JSON in
# bench/results/latest.json, a dated row in docs/benchmarks.md (bench/run.sh).
# PKTGEN=/path/to/pktgen adds Pktgen-DPDK's runs (docs/pktgen.md).
.PHONY: bench
bench: build
	@bash bench/run.sh $(BUILD) $(if $(filter 1,$(QUICK)),--quick) $(if $(PKTGEN),--pktgen=$(PKTGEN))

# make soak [SOAK_SECONDS=600] [INSTANCE=xx]: calls added and removed over
# Iq while media flows across a ROC rollover and rekeys; contexts, flows,
# fds and heap allocations back to the baseline, RSS within its bound
# (tests/integration/test_soak.sh; make test runs it for 60 s).
SOAK_SECONDS ?= 600
.PHONY: soak
soak: build
	@BUILD=$(BUILD) SOAK_SECONDS=$(SOAK_SECONDS) bash tests/integration/test_soak.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
