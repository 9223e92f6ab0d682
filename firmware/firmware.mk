# firmware/firmware.mk - included by the top Makefile: the PKA microcode
# assembler and the firmware image it makes.
#   $(FWASM)   build/bin/xce-fwasm, from firmware/fwasm.c and the driver's
#              image parser (the assembler validates what it writes with it)
#   $(PKA_FW)  build/firmware/xce-pka.fw, from firmware/pka.uasm
# Uses BUILD, CC, CFLAGS, LDFLAGS, GEN and Q from the including Makefile.

FWASM  := $(BUILD)/bin/xce-fwasm
PKA_FW := $(BUILD)/firmware/xce-pka.fw

FWASM_SRC := firmware/fwasm.c driver/src/fw_image.c
FWASM_HDR := driver/src/fw_image.h driver/src/byteread.h $(GEN)/xce_regs.h

$(FWASM): $(FWASM_SRC) $(FWASM_HDR)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(CFLAGS) -Idriver/src -I$(GEN) -o $@ $(FWASM_SRC) $(LDFLAGS) -lcrypto

# the assembler writes a temporary file and renames it, so an interrupted
# or failed run leaves no partial image for make to take as up to date
$(PKA_FW): firmware/pka.uasm $(FWASM)
	@mkdir -p $(dir $@)
	@echo "  FWASM   $@"
	$(Q)$(FWASM) -o $@ firmware/pka.uasm
