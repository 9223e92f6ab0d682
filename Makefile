# xce - top-level build. Everything starts here:
#   make        build the model, libxce and the programs into build/
#   make demo   attach to the simulated engine and show it working
#   make test   every test (RTL, driver, CLI, faults, sanitizers)
#   make bench  cycle counts and throughput, also in build/bench/results.json
#   make deps   only install the Debian packages the build needs
#   make clean

BUILD   ?= build
SANITIZE ?=
Q       ?= @

# Debian packages the build and the tests need (checked with dpkg, installed
# with apt-get; sudo when not root).
DEB_PKGS := verilator libssl-dev libpci-dev pkg-config openssl python3 pciutils clang libclang-rt-14-dev

CC      := gcc
CXX     := g++
PYTHON  := /usr/bin/python3
VERILATOR := verilator
VL_INC  := /usr/share/verilator/include

OPT     ?= -O2
WARN    := -Wall -Wextra -Werror
SANFLAGS := $(if $(SANITIZE),-fsanitize=address -fsanitize=undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
CFLAGS  := -std=c11 -D_GNU_SOURCE $(OPT) -g $(WARN) $(SANFLAGS)
CXXFLAGS := -std=c++17 $(OPT) -g $(SANFLAGS)
LDFLAGS := $(SANFLAGS)
LIBS    := -lssl -lcrypto -lpci -lpthread -lstdc++

GEN     := build/gen
RTL_OBJ := build/obj_rtl
RTL_SRC := $(wildcard rtl/*.v)
# Verilator reads xce_top and finds the modules it instantiates in rtl/ (-y)
RTL_TOP := -y rtl rtl/xce_top.v $(GEN)/xce_regfile.v
RTL_LIB := $(RTL_OBJ)/Vxce_top__ALL.a

INC     := -Idriver/include -Idriver/src -Isim -I$(GEN)

DRIVER_SRC := $(wildcard driver/src/*.c)
DRIVER_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(DRIVER_SRC))
SIM_OBJ    := $(BUILD)/obj/sim/xce_sim.o $(BUILD)/obj/sim/verilated.o \
              $(BUILD)/obj/sim/verilated_vcd_c.o $(BUILD)/obj/sim/verilated_threads.o
LIBXCE     := $(BUILD)/lib/libxce.a

XCE_SRC := $(wildcard sw/xce/*.c)
XCE_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(XCE_SRC))

TEST_HELPERS := tests/unit/check.c tests/unit/aes_ref.c
TEST_C    := $(filter-out $(TEST_HELPERS),$(wildcard tests/unit/*.c))
TEST_HELPER_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_HELPERS))
TEST_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_C))

.PHONY: all deps demo test bench clean lint check-deps tests-bin rtl-tb fuzz
.SECONDARY:

all: check-deps $(BUILD)/bin/xce $(TEST_BINS)

# --- Debian packages -------------------------------------------------------
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
MISSING = $(shell for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done)

deps:
	@missing="$(MISSING)"; \
	if [ -n "$$missing" ]; then \
	  echo "xce: installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

check-deps:
	@[ -z "$(strip $(MISSING))" ] || $(MAKE) --no-print-directory deps

# --- generated register description ----------------------------------------
$(GEN)/xce_regs.h $(GEN)/xce_regs.vh $(GEN)/xce_regfile.v: rtl/xce_regs.json tools/regtool.py | check-deps
	$(Q)mkdir -p $(GEN) build/doc
	$(Q)$(PYTHON) tools/regtool.py rtl/xce_regs.json $(GEN) build/doc
	@echo "  GEN     registers -> $(GEN), build/doc/registers.md"

# --- RTL: lint and the Verilator model ---------------------------------------
lint: $(GEN)/xce_regfile.v
	$(VERILATOR) --lint-only -Wall -I$(GEN) -Irtl --top-module xce_top $(RTL_TOP)
	@echo "  LINT    rtl clean"

$(RTL_LIB): $(RTL_SRC) $(GEN)/xce_regfile.v $(GEN)/xce_regs.vh Makefile
	@echo "  VERILATE xce_top"
	$(Q)$(VERILATOR) --cc --build -j 2 -O3 --trace -Wall -I$(GEN) -Irtl --top-module xce_top \
	    -Mdir $(RTL_OBJ) -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1" $(RTL_TOP) >$(RTL_OBJ).log 2>&1 \
	    || { cat $(RTL_OBJ).log; exit 1; }

# A reduced build, as a small FPGA would carry (AES-128 ECB/CBC, 3DES, SHA-256):
# the same driver must discover that from the ID block and fall back.
RTL_RED_OBJ := build/obj_rtl_reduced
RTL_RED_LIB := $(RTL_RED_OBJ)/Vxce_top__ALL.a
$(RTL_RED_LIB): $(RTL_SRC) $(GEN)/xce_regfile.v $(GEN)/xce_regs.vh Makefile
	@echo "  VERILATE xce_top (reduced: AES-128 ECB/CBC, 3DES, SHA-256)"
	$(Q)$(VERILATOR) --cc --build -j 2 -O3 --trace -Wall -I$(GEN) -Irtl --top-module xce_top \
	    -GCAP_AES=1 -GCAP_MODE=3 -GCAP_DES=0 -GCAP_TDES=1 -GCAP_HASH=8 \
	    -Mdir $(RTL_RED_OBJ) -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1" $(RTL_TOP) >$(RTL_RED_OBJ).log 2>&1 \
	    || { cat $(RTL_RED_OBJ).log; exit 1; }

# --- sim library, driver, programs -------------------------------------------
$(BUILD)/obj/sim/xce_sim.o: sim/xce_sim.cpp sim/xce_sim.h $(RTL_LIB) $(GEN)/xce_regs.h
	@mkdir -p $(dir $@)
	@echo "  CXX     $<"
	$(Q)$(CXX) $(CXXFLAGS) -I$(RTL_OBJ) -I$(VL_INC) -I$(VL_INC)/vltstd -I$(GEN) -Isim -c $< -o $@

$(BUILD)/obj/sim/%.o: $(VL_INC)/%.cpp
	@mkdir -p $(dir $@)
	@echo "  CXX     $(notdir $<)"
	$(Q)$(CXX) $(CXXFLAGS) -I$(VL_INC) -I$(VL_INC)/vltstd -DVM_TRACE=1 -c $< -o $@

$(BUILD)/obj/%.o: %.c $(GEN)/xce_regs.h $(wildcard driver/include/*.h driver/src/*.h sim/*.h sw/xce/*.h tests/unit/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(INC) -Isw/xce -Itests/unit -c $< -o $@

$(LIBXCE): $(DRIVER_OBJ) $(SIM_OBJ) $(RTL_LIB)
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcsT $@ $(DRIVER_OBJ) $(SIM_OBJ) $(RTL_LIB)

$(BUILD)/obj/sim_reduced/xce_sim.o: sim/xce_sim.cpp sim/xce_sim.h $(RTL_RED_LIB) $(GEN)/xce_regs.h
	@mkdir -p $(dir $@)
	@echo "  CXX     $< (reduced)"
	$(Q)$(CXX) $(CXXFLAGS) -I$(RTL_RED_OBJ) -I$(VL_INC) -I$(VL_INC)/vltstd -I$(GEN) -Isim -c $< -o $@

LIBXCE_RED := $(BUILD)/lib/libxce_reduced.a
$(LIBXCE_RED): $(DRIVER_OBJ) $(BUILD)/obj/sim_reduced/xce_sim.o $(filter-out %/xce_sim.o,$(SIM_OBJ)) $(RTL_RED_LIB)
	@mkdir -p $(dir $@)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcsT $@ $^

$(BUILD)/tests/test_reduced_engine: $(BUILD)/obj/tests/unit/test_reduced_engine.o $(TEST_HELPER_OBJ) $(LIBXCE_RED)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $< $(TEST_HELPER_OBJ) $(LIBXCE_RED) $(LIBS)

$(BUILD)/bin/xce-bench: $(BUILD)/obj/bench/xce_bench.o $(LIBXCE)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $< $(LIBXCE) $(LIBS)

$(BUILD)/bin/xce: $(XCE_OBJ) $(LIBXCE)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $(XCE_OBJ) $(LIBXCE) $(LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(TEST_HELPER_OBJ) $(LIBXCE)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $< $(TEST_HELPER_OBJ) $(LIBXCE) $(LIBS)

tests-bin: $(BUILD)/bin/xce $(TEST_BINS)

# --- fuzz targets: libFuzzer with clang, one per parser of untrusted text --
FUZZ_TARGETS := hex tokenize b64
FUZZ_BINS := $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Isw/xce

fuzz: $(FUZZ_BINS)

build/fuzz/fuzz_hex: tests/fuzz/fuzz_hex.c sw/xce/hex.c sw/xce/hex.h | check-deps
build/fuzz/fuzz_tokenize: tests/fuzz/fuzz_tokenize.c sw/xce/tokenize.c sw/xce/tokenize.h | check-deps
build/fuzz/fuzz_b64: tests/fuzz/fuzz_b64.c sw/xce/b64.c sw/xce/b64.h | check-deps
$(FUZZ_BINS):
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_FLAGS) -o $@ $(filter %.c,$^)

# --- RTL unit testbenches ----------------------------------------------------
rtl-tb: check-deps
	$(Q)tests/rtl/build_aes_tb.sh build/rtl_tb

# --- the two commands of the README -------------------------------------------
demo: all
	$(Q)tools/demo.sh $(BUILD)/bin/xce

test: all fuzz
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 tests-bin
	$(Q)tests/run.sh

bench: all $(BUILD)/bin/xce-bench
	@mkdir -p build/bench
	$(Q)$(BUILD)/bin/xce-bench $(if $(QUICK),--quick) --json build/bench/results.json
	@echo "  results in build/bench/results.json"

clean:
	rm -rf build
