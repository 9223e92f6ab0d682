# xce - top-level build. Everything starts here:
#   make        build the model, libxce and the programs into build/
#   make demo   attach to the simulated engine and show it working
#   make test   every test (RTL, driver, CLI, faults, sanitizers)
#   make bench  cycle counts and throughput, also in build/bench/results.json
#   make deps   only install the Debian packages the build needs
#   make clean

.DEFAULT_GOAL := all
BUILD   ?= build
SANITIZE ?=
Q       ?= @

# Installation directories: make install [PREFIX=/usr/local] [DESTDIR=...]
# [LIBDIR=...] [SYSCONFDIR=...]. FWDIR is also compiled into libxce: where
# it looks for the PKA firmware when $$XCE_FIRMWARE is not set.
PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR     ?= $(PREFIX)/bin
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
SYSCONFDIR ?= $(PREFIX)/etc
FWDIR      ?= $(PREFIX)/lib/xce/firmware
KEYDIR     ?= $(PREFIX)/lib/xce/keys

# Debian packages the build and the tests need (checked with dpkg, installed
# with apt-get; sudo when not root).
DEB_PKGS := verilator libssl-dev libpci-dev pkg-config openssl python3 python3-scapy iproute2 iputils-ping tshark pciutils clang libclang-rt-14-dev mandoc binutils gnuplot-nox debhelper lintian dpkg-dev fakeroot git

CC      := gcc
CXX     := g++
PYTHON  := /usr/bin/python3
VERILATOR := verilator
VL_INC  := /usr/share/verilator/include

OPT     ?= -O2
WARN    := -Wall -Wextra -Werror
SANFLAGS := $(if $(SANITIZE),-fsanitize=address -fsanitize=undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
# everything is position-independent: the same objects make libxce.a and libxce.so
# EXTRA_CFLAGS/EXTRA_LDFLAGS: a packager's flags (debian/rules passes dpkg-buildflags)
CFLAGS  := -std=c11 -D_GNU_SOURCE -fPIC $(OPT) -g $(WARN) $(SANFLAGS) $(EXTRA_CFLAGS)
CXXFLAGS := -std=c++17 -fPIC $(OPT) -g $(SANFLAGS) $(EXTRA_CXXFLAGS)
LDFLAGS := $(SANFLAGS) $(EXTRA_LDFLAGS)
LIBS    := -lssl -lcrypto -lpci -lpthread -lstdc++

GEN     := build/gen
RTL_SRC := $(wildcard rtl/*.v)
# Verilator reads xce_top and finds the modules it instantiates in rtl/ (-y)
RTL_TOP := -y rtl rtl/xce_top.v $(GEN)/xce_regfile.v

INC     := -Idriver/include -Idriver/src -Isim -I$(GEN)

DRIVER_SRC := $(wildcard driver/src/*.c)
DRIVER_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(DRIVER_SRC))
VL_OBJ     := $(BUILD)/obj/sim/verilated.o $(BUILD)/obj/sim/verilated_vcd_c.o \
              $(BUILD)/obj/sim/verilated_threads.o
LIBXCE     := $(BUILD)/lib/libxce.a
SOVERSION  := 1
SOFULL     := 1.0.0
LIBXCE_SO  := $(BUILD)/lib/libxce.so.$(SOFULL)

XCE_SRC := $(wildcard sw/xce/*.c sw/common/*.c)
XCE_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(XCE_SRC))
# the daemon: its own sources, sw/common and the IPsec datapath
XCED_SRC := $(wildcard sw/xced/*.c sw/common/*.c sw/ipsec/*.c)
XCED_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(XCED_SRC))
# the IPsec datapath alone (xce-bench, tests)
IPSEC_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard sw/ipsec/*.c))
# the ISAKMP/IKEv1 message codec and its cryptography on libxce (tests only so far)
IKE_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard sw/ike/*.c))

TEST_HELPERS := tests/unit/check.c tests/unit/aes_ref.c
TEST_C    := $(filter-out $(TEST_HELPERS),$(wildcard tests/unit/*.c))
TEST_HELPER_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_HELPERS))
TEST_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_C))

# --- PKA firmware: the assembler and the image -------------------------------
# (before the first rule: `all` and `programs` name these files)
include firmware/firmware.mk

# --- the firmware as a signed image (doc/signed-images.md) --------------------
# Each build makes its own development ("special") signing key and a trust
# store holding its public half; the private key never leaves build/. A
# release would sign with a production key kept elsewhere.
SIGN_KEYS     := $(BUILD)/keys
TRUST_STORE   := $(SIGN_KEYS)/store
PKA_FW_SIGNED := $(BUILD)/firmware/xce-pka.SSA.img
FW_SIGNER     := $(BUILD)/bin/xce --device sw image

$(SIGN_KEYS)/private/special-A.pem: | $(BUILD)/bin/xce
	@echo "  KEYGEN  $@ and the trust store $(TRUST_STORE)"
	$(Q)rm -rf $(SIGN_KEYS) && mkdir -p $(SIGN_KEYS)/private $(SIGN_KEYS)/anchors
	$(Q)$(FW_SIGNER) keygen --type special --version A --bits 2048 --dir $(SIGN_KEYS)/private >/dev/null
	$(Q)cp $(SIGN_KEYS)/private/special-A.pub.pem $(SIGN_KEYS)/anchors/
	$(Q)$(FW_SIGNER) trust install $(SIGN_KEYS)/anchors --key-store $(TRUST_STORE) >/dev/null

$(PKA_FW_SIGNED): $(PKA_FW) $(SIGN_KEYS)/private/special-A.pem
	@echo "  SIGN    $@"
	$(Q)$(FW_SIGNER) sign --key $(SIGN_KEYS)/private/special-A.pem --key-type special --key-version A \
	    --type firmware --cn "xce build" --ou "PKA firmware" --org xce --in $(PKA_FW) --out $@ >/dev/null

.PHONY: all deps demo test bench clean lint check-deps tests-bin rtl-tb fuzz install uninstall programs deb
.SECONDARY:

all: check-deps $(BUILD)/bin/xce $(BUILD)/bin/xced $(TEST_BINS) $(LIBXCE_SO) $(PKA_FW_SIGNED)

# what is installed, without the tests
programs: check-deps $(BUILD)/bin/xce $(BUILD)/bin/xced $(LIBXCE) $(LIBXCE_SO) $(PKA_FW_SIGNED)

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
	$(VERILATOR) --lint-only -Wall -I$(GEN) -Irtl --top-module xce_top $(MODEL_G_quad) $(RTL_TOP)
	$(VERILATOR) --lint-only -Wall -I$(GEN) -Irtl --top-module xce_top $(MODEL_G_reduced) $(RTL_TOP)
	@echo "  LINT    rtl clean"

# Verilator's trace code (5.006 headers, instantiated in the harness and its
# runtime) stores 64-bit values at 4-byte alignment: UBSan's alignment check
# is off for those two, and only for them.
VL_NOALIGN := $(if $(SANITIZE),-fno-sanitize=alignment)

# Model variants: the same RTL built with other parameters, each linked
# into its own copy of libxce (the driver is the same; only the model
# behind the "sim" device differs).
#   default  everything, one core                       -> libxce.a
#   reduced  as a small FPGA would carry (AES-128 ECB/CBC, 3DES, SHA-256, no PKA):
#            the driver must discover that from the ID block and fall back
#   quad     four cores, each with its own ring pair
MODELS := default reduced quad
MODEL_G_default :=
MODEL_G_reduced := -GCAP_AES=1 -GCAP_MODE=3 -GCAP_DES=0 -GCAP_TDES=1 -GCAP_HASH=8 -GCAP_PKA=0
MODEL_G_quad    := -GCORES=4
MODEL_LIB_default := $(LIBXCE)
MODEL_LIB_reduced := $(BUILD)/lib/libxce_reduced.a
MODEL_LIB_quad    := $(BUILD)/lib/libxce_quad.a

define model_rules
build/obj_rtl_$(1)/Vxce_top__ALL.a: $(RTL_SRC) $(GEN)/xce_regfile.v $(GEN)/xce_regs.vh Makefile
	@echo "  VERILATE xce_top ($(1))"
	$(Q)$(VERILATOR) --cc --build -j 2 -O3 --trace -Wall -I$(GEN) -Irtl --top-module xce_top -CFLAGS -fPIC \
	    $(MODEL_G_$(1)) -Mdir build/obj_rtl_$(1) -MAKEFLAGS "OPT_FAST=-O2 OPT_SLOW=-O1" $(RTL_TOP) \
	    >build/obj_rtl_$(1).log 2>&1 || { cat build/obj_rtl_$(1).log; exit 1; }
	@touch $$@   # verilator leaves an up-to-date archive alone

$(BUILD)/obj/sim_$(1)/xce_sim.o: sim/xce_sim.cpp sim/xce_sim.h build/obj_rtl_$(1)/Vxce_top__ALL.a $(GEN)/xce_regs.h
	@mkdir -p $$(dir $$@)
	@echo "  CXX     $$< ($(1))"
	$(Q)$(CXX) $(CXXFLAGS) $(VL_NOALIGN) -Ibuild/obj_rtl_$(1) -I$(VL_INC) -I$(VL_INC)/vltstd -I$(GEN) -Isim -c $$< -o $$@

# a self-contained archive (not a thin one): it is installed as libxce.a
$(MODEL_LIB_$(1)): $(DRIVER_OBJ) $(BUILD)/obj/sim_$(1)/xce_sim.o $(VL_OBJ) build/obj_rtl_$(1)/Vxce_top__ALL.a
	@mkdir -p $$(dir $$@)
	@echo "  AR      $$@"
	$(Q)rm -f $$@ && { echo "create $$@"; for o in $$(filter %.o,$$^); do echo "addmod $$$$o"; done; \
	    echo "addlib build/obj_rtl_$(1)/Vxce_top__ALL.a"; echo save; echo end; } | ar -M && ranlib $$@
endef
$(foreach m,$(MODELS),$(eval $(call model_rules,$(m))))

# --- sim library, driver, programs -------------------------------------------
# libxce looks for the firmware where `make install` puts it
$(BUILD)/obj/driver/src/pka.o: CFLAGS += -DXCE_FIRMWARE_PATH='"$(FWDIR)/xce-pka.SSA.img"'
# and its trust store of image-signing keys (doc/signed-images.md)
$(BUILD)/obj/driver/src/trust.o $(BUILD)/obj/sw/xce/cmd_swauth.o: CFLAGS += -DXCE_KEY_STORE_DIR='"$(KEYDIR)"'

$(BUILD)/obj/sim/%.o: $(VL_INC)/%.cpp
	@mkdir -p $(dir $@)
	@echo "  CXX     $(notdir $<)"
	$(Q)$(CXX) $(CXXFLAGS) $(VL_NOALIGN) -I$(VL_INC) -I$(VL_INC)/vltstd -DVM_TRACE=1 -c $< -o $@

$(BUILD)/obj/%.o: %.c $(GEN)/xce_regs.h $(wildcard driver/include/*.h driver/src/*.h sim/*.h sw/xce/*.h sw/common/*.h sw/ipsec/*.h sw/ike/*.h sw/xced/*.h tests/unit/*.h bench/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(INC) -Isw/xce -Isw/common -Isw/ipsec -Isw/ike -Isw/xced -Itests/unit -Ibench -c $< -o $@

# xce-bench runs on the quad model: single requests use one core, the pool
# scaling figures use one, two and four
$(BUILD)/bin/xce-bench: $(BUILD)/obj/bench/xce_bench.o $(BUILD)/obj/bench/bench_pka.o $(BUILD)/obj/bench/bench_image.o \
                        $(BUILD)/obj/bench/bench_ipsec.o $(IPSEC_OBJ) $(MODEL_LIB_quad)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS)

# the traffic of bench/tunnel.sh: plain C, no libxce
$(BUILD)/bin/udp_blast: $(BUILD)/obj/bench/udp_blast.o
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

# The shared library: the driver with the default model. The soname carries
# the ABI's major version; libxce.so is the development link.
# Exported: exactly the functions xce.h declares, read from the header.
$(GEN)/libxce.map: driver/include/xce.h
	@mkdir -p $(dir $@)
	$(Q){ echo 'LIBXCE_$(SOVERSION) {'; echo '    global:'; \
	  grep -o '\bxce_[a-z0-9_]*(' $< | tr -d '(' | sort -u | sed 's/.*/        &;/'; \
	  echo '    local:'; echo '        *;'; echo '};'; } >$@

$(LIBXCE_SO): $(DRIVER_OBJ) $(BUILD)/obj/sim_default/xce_sim.o $(VL_OBJ) build/obj_rtl_default/Vxce_top__ALL.a $(GEN)/libxce.map
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CXX) -shared $(LDFLAGS) -Wl,-soname,libxce.so.$(SOVERSION) -Wl,--version-script=$(GEN)/libxce.map \
	    -o $@ $(filter-out %.map,$^) $(LIBS)
	$(Q)ln -sf libxce.so.$(SOFULL) $(BUILD)/lib/libxce.so.$(SOVERSION)
	$(Q)ln -sf libxce.so.$(SOVERSION) $(BUILD)/lib/libxce.so

$(BUILD)/bin/xce: $(XCE_OBJ) $(LIBXCE)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $(XCE_OBJ) $(LIBXCE) $(LIBS)

$(BUILD)/bin/xced: $(XCED_OBJ) $(LIBXCE)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $(XCED_OBJ) $(LIBXCE) $(LIBS)

# Tests run against the default model unless named here.
TEST_MODEL_test_reduced_engine := reduced
TEST_MODEL_test_multicore := quad
# Tests of host-program code (sw/) also link the objects named here (set
# before the rules below, which expand them as they are made)
TEST_OBJS_test_ipsec := $(IPSEC_OBJ)
TEST_OBJS_test_isakmp := $(IKE_OBJ)
TEST_OBJS_test_ike_crypto := $(IKE_OBJ)
TEST_OBJS_test_xced_config := $(BUILD)/obj/sw/xced/config.o
define test_rule
$(BUILD)/tests/$(1): $(BUILD)/obj/tests/unit/$(1).o $(TEST_OBJS_$(1)) $(TEST_HELPER_OBJ) $(MODEL_LIB_$(or $(TEST_MODEL_$(1)),default))
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$(Q)$(CXX) $(LDFLAGS) -o $$@ $$^ $(LIBS)
endef
$(foreach t,$(patsubst tests/unit/%.c,%,$(TEST_C)),$(eval $(call test_rule,$(t))))

tests-bin: $(BUILD)/bin/xce $(BUILD)/bin/xced $(TEST_BINS) $(FWASM)

# --- fuzz targets: libFuzzer with clang, one per parser of untrusted text --
FUZZ_TARGETS := hex tokenize b64 completion fw_image keystore image trust ipsec_in xced_config xced_ctl xced_answer isakmp
FUZZ_BINS := $(patsubst %,build/fuzz/fuzz_%,$(FUZZ_TARGETS))
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Isw/xce -Isw/common

fuzz: $(FUZZ_BINS)

build/fuzz/fuzz_hex: tests/fuzz/fuzz_hex.c sw/xce/hex.c sw/xce/hex.h | check-deps
build/fuzz/fuzz_tokenize: tests/fuzz/fuzz_tokenize.c sw/xce/tokenize.c sw/xce/tokenize.h | check-deps
build/fuzz/fuzz_b64: tests/fuzz/fuzz_b64.c sw/common/b64.c sw/common/b64.h | check-deps
# the driver itself, without the model (the target brings a fake backend)
build/fuzz/fuzz_completion: tests/fuzz/fuzz_completion.c $(filter-out %/backend_sim.c,$(DRIVER_SRC)) $(GEN)/xce_regs.h | check-deps
build/fuzz/fuzz_completion: FUZZ_EXTRA = -D_GNU_SOURCE $(INC) -lssl -lcrypto -lpci -lpthread
build/fuzz/fuzz_fw_image: tests/fuzz/fuzz_fw_image.c driver/src/fw_image.c driver/src/fw_image.h driver/src/byteread.h $(GEN)/xce_regs.h | check-deps
build/fuzz/fuzz_fw_image: FUZZ_EXTRA = -D_GNU_SOURCE $(INC) -lcrypto
build/fuzz/fuzz_keystore: tests/fuzz/fuzz_keystore.c sw/common/keystore.c sw/common/keystore.h sw/common/b64.c \
                          sw/common/b64.h | check-deps
build/fuzz/fuzz_keystore: FUZZ_EXTRA = -D_GNU_SOURCE -Isw/common -lcrypto
# the signed-image targets link the whole driver but the model (device "sw")
FUZZ_DRIVER := $(filter-out %/backend_sim.c,$(DRIVER_SRC)) $(wildcard driver/src/*.h) $(GEN)/xce_regs.h
build/fuzz/fuzz_image: tests/fuzz/fuzz_image.c $(FUZZ_DRIVER) | check-deps
build/fuzz/fuzz_trust: tests/fuzz/fuzz_trust.c $(FUZZ_DRIVER) | check-deps
build/fuzz/fuzz_image build/fuzz/fuzz_trust: FUZZ_EXTRA = -D_GNU_SOURCE $(INC) -lssl -lcrypto -lpci -lpthread
$(FUZZ_BINS):
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)clang $(FUZZ_FLAGS) -o $@ $(filter %.c,$^) $(FUZZ_EXTRA)

# --- RTL unit testbenches ----------------------------------------------------
rtl-tb: check-deps
	$(Q)tests/rtl/build_aes_tb.sh build/rtl_tb

# --- the two commands of the README -------------------------------------------
demo: all
	$(Q)tools/demo.sh $(BUILD)/bin/xce

test: all fuzz
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=1 tests-bin
	$(Q)tests/run.sh

bench: all $(BUILD)/bin/xce-bench $(BUILD)/bin/udp_blast
	@mkdir -p build/bench
	$(Q)XCE_FIRMWARE=$${XCE_FIRMWARE:-$(abspath $(PKA_FW_SIGNED))} XCE_KEY_STORE=$${XCE_KEY_STORE:-$(abspath $(BUILD)/keys/store)} \
	    $(BUILD)/bin/xce-bench $(if $(QUICK),--quick) --json build/bench/results.json --csv-dir build/bench
	$(Q)QUICK=$(QUICK) bench/tunnel.sh
	$(Q)gnuplot -e "dir='build/bench'" tools/bench_plots.gp
	@echo "  results in build/bench/results.json, plots build/bench/throughput.png, cycles.png"

# --- installation (directories at the top) -----------------------------------
MANPAGES   := $(wildcard man/*.[1-9])
INSTALLED_MAN = $(foreach m,$(MANPAGES),$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)))

install: programs
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR)
	install -m 0644 $(LIBXCE) $(DESTDIR)$(LIBDIR)/libxce.a
	install -m 0755 $(LIBXCE_SO) $(DESTDIR)$(LIBDIR)/libxce.so.$(SOFULL)
	ln -sf libxce.so.$(SOFULL) $(DESTDIR)$(LIBDIR)/libxce.so.$(SOVERSION)
	ln -sf libxce.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libxce.so
	install -m 0644 driver/include/xce.h $(DESTDIR)$(INCLUDEDIR)/xce.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(SOFULL)|' packaging/libxce.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/libxce.pc
	install -m 0755 $(BUILD)/bin/xce $(DESTDIR)$(BINDIR)/xce
	install -m 0755 $(BUILD)/bin/xced $(DESTDIR)$(SBINDIR)/xced
	install -D -m 0644 $(PKA_FW_SIGNED) $(DESTDIR)$(FWDIR)/xce-pka.SSA.img
	install -D -m 0644 $(TRUST_STORE)/primary $(DESTDIR)$(KEYDIR)/primary
	install -D -m 0644 $(TRUST_STORE)/backup $(DESTDIR)$(KEYDIR)/backup
	$(foreach m,$(MANPAGES),install -D -m 0644 $(m) $(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)) &&) true

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libxce.a $(DESTDIR)$(LIBDIR)/libxce.so $(DESTDIR)$(LIBDIR)/libxce.so.$(SOVERSION) \
	    $(DESTDIR)$(LIBDIR)/libxce.so.$(SOFULL) $(DESTDIR)$(LIBDIR)/pkgconfig/libxce.pc \
	    $(DESTDIR)$(INCLUDEDIR)/xce.h $(DESTDIR)$(BINDIR)/xce $(DESTDIR)$(SBINDIR)/xced $(addprefix $(DESTDIR),$(INSTALLED_MAN)) \
	    $(DESTDIR)$(FWDIR)/xce-pka.SSA.img $(DESTDIR)$(KEYDIR)/primary $(DESTDIR)$(KEYDIR)/backup

# Debian packages (libxce1, libxce-dev, xce) into build/deb/, built from a
# copy of the tracked files so nothing is written outside build/; lintian
# must report no error.
DEB_PKGS_BUILD := debhelper lintian dpkg-dev fakeroot
deb:
	@missing=$$(for p in $(DEB_PKGS_BUILD); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "xce: installing Debian packages: $$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; fi
	rm -rf build/deb && mkdir -p build/deb/xce-$(SOFULL)
	git ls-files -z | xargs -0 cp --parents -t build/deb/xce-$(SOFULL)
	cd build/deb/xce-$(SOFULL) && dpkg-buildpackage -us -uc -b
	lintian --fail-on error build/deb/*.changes
	@ls build/deb/*.deb

clean:
	rm -rf build

# --- IPsec datapath (sw/ipsec): the scapy cross-check's tool, fuzz target
$(BUILD)/bin/ipsec_tool: $(BUILD)/obj/tests/ipsec/ipsec_tool.o $(IPSEC_OBJ) $(MODEL_LIB_default)
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CXX) $(LDFLAGS) -o $@ $^ $(LIBS)
build/fuzz/fuzz_ipsec_in: tests/fuzz/fuzz_ipsec_in.c $(wildcard sw/ipsec/*.c sw/ipsec/*.h) sw/common/pktread.h $(FUZZ_DRIVER) | check-deps
build/fuzz/fuzz_ipsec_in: FUZZ_EXTRA = -D_GNU_SOURCE $(INC) -Isw/ipsec -lssl -lcrypto -lpci -lpthread

# --- xced configuration parser (sw/xced/config.c): fuzz target
build/fuzz/fuzz_xced_config: tests/fuzz/fuzz_xced_config.c sw/xced/config.c sw/xced/config.h | check-deps
build/fuzz/fuzz_xced_config: FUZZ_EXTRA = -D_GNU_SOURCE -Isw/xced -lcrypto

# --- xced control protocol (sw/xced/ctl.c, views.c; sw/common/xced_ctl.c): fuzz targets
build/fuzz/fuzz_xced_ctl: tests/fuzz/fuzz_xced_ctl.c sw/xced/ctl.c sw/xced/views.c sw/xced/config.c \
    sw/xced/datapath.c sw/xced/dp_views.c sw/xced/netif.c $(wildcard sw/ipsec/*.c) \
    sw/common/xced_ctl.c sw/common/engine_views.c $(wildcard sw/xced/*.h sw/common/*.h sw/ipsec/*.h) $(FUZZ_DRIVER) | check-deps
build/fuzz/fuzz_xced_ctl: FUZZ_EXTRA = -D_GNU_SOURCE $(INC) -Isw/xced -Isw/ipsec -lssl -lcrypto -lpci -lpthread
build/fuzz/fuzz_xced_answer: tests/fuzz/fuzz_xced_answer.c sw/common/xced_ctl.c sw/common/xced_ctl.h | check-deps
build/fuzz/fuzz_xced_answer: FUZZ_EXTRA = -D_GNU_SOURCE -Isw/common

# --- ISAKMP codec (sw/ike): the scapy cross-check's tool, fuzz target
$(BUILD)/bin/isakmp_tool: $(BUILD)/obj/tests/ike/isakmp_tool.o $(filter-out %/ike_crypto.o,$(IKE_OBJ))
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^
build/fuzz/fuzz_isakmp: tests/fuzz/fuzz_isakmp.c $(filter-out %/ike_crypto.c,$(wildcard sw/ike/*.c sw/ike/*.h)) sw/common/pktread.h | check-deps
build/fuzz/fuzz_isakmp: FUZZ_EXTRA = -Isw/ike
