/* test_pci_probe.c - the pci backend's discovery and BAR0 probe, without
 * an xce card: the simulated model's config space is written out as an
 * `lspci -x` dump (read by libpci's real dump access method), and its BAR0
 * as a fake sysfs resource0 file. The driver must find the function among
 * others, honour a slot in the spec, map BAR0, identify the engine from its
 * ID block, and, with no DMA on this backend, serve from software. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "xce.h"
#include "xce_regs.h"
#include "xce_sim.h"

static char dir[] = "/tmp/xce-pci-XXXXXX";
static char dump_path[256], sysfs[256];

static void dump_function(FILE *f, const char *slot, const uint8_t cfg[256])
{
    fprintf(f, "%s Class 1080: device\n", slot);
    for (int row = 0; row < 256; row += 16) {
        fprintf(f, "%02x:", row);
        for (int i = 0; i < 16; i++)
            fprintf(f, " %02x", cfg[row + i]);
        fprintf(f, "\n");
    }
    fprintf(f, "\n");
}

static int make_tree(const char *slot_of_xce)
{
    xce_sim *sim = xce_sim_create(NULL);
    if (!sim)
        return 0;
    uint8_t cfg[256], other[256] = { 0x86, 0x80, 0x37, 0x12 };   /* an Intel host bridge */
    for (unsigned i = 0; i < 256; i++)
        cfg[i] = (uint8_t)xce_sim_config_read(sim, i, 1);
    snprintf(dump_path, sizeof dump_path, "%s/lspci.dump", dir);
    FILE *f = fopen(dump_path, "w");
    if (!f)
        return 0;
    dump_function(f, "00:00.0", other);
    dump_function(f, slot_of_xce, cfg);
    fclose(f);

    /* sysfs: bus/pci/devices/0000:<slot>/resource0 = BAR0 contents */
    snprintf(sysfs, sizeof sysfs, "%s/sys", dir);
    char path[512];
    snprintf(path, sizeof path, "%s/bus", sysfs);
    mkdir(sysfs, 0700);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/bus/pci", sysfs);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/bus/pci/devices", sysfs);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/bus/pci/devices/0000:%s", sysfs, slot_of_xce);
    mkdir(path, 0700);
    strcat(path, "/resource0");
    f = fopen(path, "w");
    if (!f)
        return 0;
    for (uint32_t off = 0; off < XCE_BAR0_SIZE; off += 4) {
        uint32_t v = xce_sim_bar0_read(sim, off);
        fwrite(&v, 4, 1, f);
    }
    fclose(f);
    xce_sim_destroy(sim);
    setenv("XCE_PCI_DUMP", dump_path, 1);
    setenv("XCE_SYSFS_ROOT", sysfs, 1);
    return 1;
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    if (!CHECK(make_tree("03:00.0"), "fake PCI tree written in %s", dir))
        return check_done();

    /* the real pciutils agree that the dump holds our function */
    char cmd[512];
    snprintf(cmd, sizeof cmd, "lspci -F %s -n -s 03:00.0 | grep -q '%04x:%04x'", dump_path,
             XCE_PCI_VENDOR_ID, XCE_PCI_DEVICE_ID);
    CHECK(system(cmd) == 0, "lspci -F sees %04x:%04x at 03:00.0", XCE_PCI_VENDOR_ID, XCE_PCI_DEVICE_ID);

    xce_dev *dev;
    struct xce_info info;
    CHECK(xce_open("pci", NULL, &dev) == XCE_OK, "pci: first xce function found");
    if (dev) {
        CHECK(xce_get_info(dev, &info) == XCE_OK, "info");
        CHECK(strcmp(info.backend, "pci") == 0 && strcmp(info.location, "0000:03:00.0") == 0,
              "backend %s at %s", info.backend, info.location);
        CHECK(info.engine_present && info.serial != 0 && (info.cap_algos & XCE_CAP_AES128),
              "ID block read through the mapped BAR0 (serial %08x, caps %x)", info.serial, info.cap_algos);
        CHECK(!info.engine_enabled && info.disabled_reason && strstr(info.disabled_reason, "DMA"),
              "no DMA on this backend: engine disabled (%s)",
              info.disabled_reason ? info.disabled_reason : "?");
        uint8_t key[16] = { 0 }, buf[16] = { 0 };
        struct xce_cipher_params p = { XCE_ALG_AES, XCE_MODE_ECB, key, 16, 0 };
        xce_session *s;
        int ok = xce_session_create(dev, &p, &s) == XCE_OK;
        ok = ok && xce_cipher(s, NULL, buf, buf, 16) == XCE_OK;
        /* FIPS-197: AES-128 of zeros under the zero key starts 66 e9 4b d4 */
        CHECK(ok && buf[0] == 0x66 && buf[1] == 0xe9, "software serves requests");
        struct xce_stats st;
        CHECK(xce_get_stats(dev, &st) == XCE_OK && st.sw_requests == 1, "counted as a software completion");
        xce_session_destroy(s);
        xce_close(dev);
    }
    CHECK(xce_open("pci:0000:03:00.0", NULL, &dev) == XCE_OK, "pci:0000:03:00.0 selects the function");
    xce_close(dev);
    CHECK(xce_open("pci:03:00.0", NULL, &dev) == XCE_OK, "pci:03:00.0 (no domain) selects it too");
    xce_close(dev);
    CHECK(xce_open("pci:0000:04:00.0", NULL, &dev) == XCE_ERR_NODEV, "empty slot: no device");
    CHECK(xce_open("pci:zz:qq", NULL, &dev) == XCE_ERR_INVAL, "malformed slot rejected");
    struct xce_open_opts hw = { .policy = XCE_POLICY_HARDWARE };
    CHECK(xce_open("pci", &hw, &dev) != XCE_OK, "hardware policy refuses an engine it cannot use");

    /* a bus without xce */
    setenv("XCE_PCI_DUMP", "/nonexistent/dump", 1);
    CHECK(xce_open("pci", NULL, &dev) == XCE_ERR_NODEV, "missing dump: no device, no exit");
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        CHECK(0, "cleanup of %s", dir);
    return check_done();
}
