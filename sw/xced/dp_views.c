/* dp_views.c - the datapath's exec views, in IOS 12.x's layout (seeds 003
 * and 004): show crypto ipsec sa, show crypto engine connections active,
 * show crypto engine connections dropped-packet. Nothing secret: SAs
 * appear by SPI and connection id. */
#include <inttypes.h>
#include <string.h>

#include "datapath.h"


static int sa_stats(const struct dp_sa *s, struct ipsec_sa_stats *st)
{
    memset(st, 0, sizeof *st);
    return s->sa && ipsec_sa_stats(s->sa, st) == XCE_OK;
}

static void sa_block(const struct dp_flow *f, const struct dp_sa *s, FILE *out)
{
    struct ipsec_sa_stats st, twin;
    if (!sa_stats(s, &st))
        return;
    /* an outbound SA has no window: it supports the peer's replay detection */
    const struct dp_sa *in = s->proto == IPSEC_PROTO_ESP ? &f->esp[0] : &f->ah[0];
    unsigned window = s->dir == IPSEC_DIR_INBOUND ? st.replay_window : sa_stats(in, &twin) ? twin.replay_window : 0;
    fprintf(out, "      spi: 0x%" PRIX32 "(%" PRIu32 ")\n", s->spi, s->spi);
    fprintf(out, "        transform: %s ,\n", st.transform);
    fprintf(out, "        in use settings ={%s%s, }\n", f->ts->mode == CFG_MODE_TRANSPORT ? "Transport" : "Tunnel",
            st.udp_encap ? " UDP-Encaps" : "");
    fprintf(out, "        slot: 0, conn id: %u, crypto map: %s\n", s->conn_id, f->map->tag);
    if (st.kbytes_left == UINT64_MAX && st.seconds_left == UINT64_MAX) {
        fputs("        no sa timing\n", out);
    } else {
        fputs("        sa timing: remaining key lifetime (k/sec): (", out);
        if (st.kbytes_left == UINT64_MAX)
            fputs("-", out);
        else
            fprintf(out, "%" PRIu64, st.kbytes_left);
        if (st.seconds_left == UINT64_MAX)
            fputs("/-)\n", out);
        else
            fprintf(out, "/%" PRIu64 ")\n", st.seconds_left);
    }
    if (s->proto == IPSEC_PROTO_ESP)
        fprintf(out, "        IV size: %u bytes\n", st.iv_size);
    fprintf(out, "        replay detection support: %s\n", window ? "Y" : "N");
    if (st.hard_expired || st.kbytes_left == 0 || st.seconds_left == 0)
        fputs("        Status: EXPIRED\n", out);
}

static void flow_block(const struct datapath *dp, const struct dp_flow *f, FILE *out)
{
    struct ipsec_sa_stats e_out, e_in, a_out, a_in;
    int has_eo = sa_stats(&f->esp[1], &e_out), has_ei = sa_stats(&f->esp[0], &e_in);
    sa_stats(&f->ah[1], &a_out);
    sa_stats(&f->ah[0], &a_in);
    const struct ipsec_sa_stats *po = has_eo ? &e_out : &a_out, *pi = has_ei ? &e_in : &a_in;
    char ip[16], lip[16];
    const char *udp = f->map->udp_encap ? ":4500" : "";
    char id[48];
    fprintf(out, "\n   local  ident (addr/mask/prot/port): (%s)\n", dp_proxy_str(dp->cfg, f->map->acl, 0, id));
    fprintf(out, "   remote ident (addr/mask/prot/port): (%s)\n", dp_proxy_str(dp->cfg, f->map->acl, 1, id));
    fprintf(out, "   current_peer: %s%s\n", cfg_ip_str(f->peer, ip), udp);
    fputs("     PERMIT, flags={origin_is_acl,}\n", out);
    fprintf(out, "    #pkts encaps: %" PRIu64 ", #pkts encrypt: %" PRIu64 ", #pkts digest %" PRIu64 "\n", po->pkts_encaps,
            e_out.pkts_encrypt, e_out.pkts_digest > a_out.pkts_digest ? e_out.pkts_digest : a_out.pkts_digest);
    fprintf(out, "    #pkts decaps: %" PRIu64 ", #pkts decrypt: %" PRIu64 ", #pkts verify %" PRIu64 "\n", pi->pkts_decaps,
            e_in.pkts_decrypt, e_in.pkts_verify > a_in.pkts_verify ? e_in.pkts_verify : a_in.pkts_verify);
    fprintf(out, "    #send errors %" PRIu64 ", #recv errors %" PRIu64 "\n",
            e_out.send_errors + a_out.send_errors + f->send_errors,
            e_in.recv_errors + a_in.recv_errors + f->recv_errors);
    fprintf(out, "\n     local crypto endpt.: %s, remote crypto endpt.: %s%s\n", cfg_ip_str(f->local, lip), ip, udp);
    fprintf(out, "     path mtu %u, media mtu %u\n", f->ifc->media_mtu, f->ifc->media_mtu);
    const struct dp_sa *outer = f->ah[1].sa ? &f->ah[1] : &f->esp[1];
    fprintf(out, "     current outbound spi: %" PRIX32 "\n", outer->sa ? outer->spi : 0);
    static const char *const titles[4] = { "inbound esp sas", "inbound ah sas", "outbound esp sas",
                                           "outbound ah sas" };
    const struct dp_sa *sas[4] = { &f->esp[0], &f->ah[0], &f->esp[1], &f->ah[1] };
    for (int k = 0; k < 4; k++) {
        fprintf(out, "\n     %s:\n", titles[k]);
        sa_block(f, sas[k], out);
    }
}

void dp_show_ipsec_sa(const struct datapath *dp, FILE *out)
{
    if (!dp || !dp->nifs) {
        fputs("No SAs found\n", out);
        return;
    }
    for (unsigned i = 0; i < dp->nifs; i++) {
        const struct dp_iface *ifc = &dp->ifs[i];
        char ip[16];
        fprintf(out, "\ninterface: %s\n", ifc->cfg->name);
        fprintf(out, "    Crypto map tag: %s, local addr. %s\n", ifc->cfg->crypto_map, cfg_ip_str(ifc->cfg->addr, ip));
        for (unsigned j = 0; j < ifc->nflows; j++)
            flow_block(dp, &ifc->flows[j], out);
    }
}

static const char *algorithm(const struct ipsec_sa_stats *st, char *b, size_t n)
{
    const char *t = st->transform;
    const char *mac = strstr(t, "sha256") ? "HMAC_SHA256" : strstr(t, "md5") ? "HMAC_MD5" : strstr(t, "sha") ? "HMAC_SHA" : "";
    const char *cipher = "";
    if (st->proto == IPSEC_PROTO_ESP)
        cipher = strstr(t, "esp-3des") ? "3DES_168_CB" : strstr(t, "esp-des") ? "DES_56_CB"
               : strstr(t, "esp-256-aes") ? "AES_256_CB" : strstr(t, "esp-192-aes") ? "AES_192_CB"
               : strstr(t, "aes") ? "AES_128_CB" : "NULL";
    snprintf(b, n, "%s%s%s", mac, *mac && *cipher ? "+" : "", cipher);
    return b;
}

void dp_show_connections(const struct datapath *dp, FILE *out)
{
    fprintf(out, "%4s %-20s %-15s %-7s %-22s %8s %8s\n", "ID", "Interface", "IP-Address", "State", "Algorithm",
            "Encrypt", "Decrypt");
    for (unsigned i = 0; dp && i < dp->nifs; i++)
        for (unsigned j = 0; j < dp->ifs[i].nflows; j++) {
            const struct dp_flow *f = &dp->ifs[i].flows[j];
            const struct dp_sa *all[4] = { &f->ah[0], &f->ah[1], &f->esp[0], &f->esp[1] };
            for (int k = 0; k < 4; k++) {
                struct ipsec_sa_stats st;
                if (!sa_stats(all[k], &st))
                    continue;
                char ip[16], alg[40];
                int expired = st.hard_expired || st.kbytes_left == 0 || st.seconds_left == 0;
                int outb = all[k]->dir == IPSEC_DIR_OUTBOUND;
                fprintf(out, "%4u %-20s %-15s %-7s %-22s %8" PRIu64 " %8" PRIu64 "\n", all[k]->conn_id,
                        dp->ifs[i].cfg->name, cfg_ip_str(dp->ifs[i].cfg->addr, ip), expired ? "expired" : "set",
                        algorithm(&st, alg, sizeof alg), outb ? st.pkts_encaps : 0, outb ? 0 : st.pkts_decaps);
            }
        }
}

void dp_show_counters(const struct datapath *dp, FILE *out)
{
    if (!dp)
        return;
    fprintf(out, "Datapath:        %u interface%s, %" PRIu64 " packets in, %" PRIu64 " out\n", dp->nifs,
            dp->nifs == 1 ? "" : "s", dp->rx_packets, dp->tx_packets);
    for (unsigned i = 0; i < dp->nifs; i++)
        fprintf(out, "  %-15s %s on %s, MTU %u; %" PRIu64 " sent in clear\n", dp->ifs[i].cfg->name,
                dp->ifs[i].cfg->linux_ifname, dp->ifs[i].tun_name, dp->ifs[i].tun_mtu, dp->ifs[i].clear_out);
    for (unsigned i = 0; i < dp->ndown; i++)
        fprintf(out, "  %-15s not applied: %s\n", dp->down[i].cfg->name, dp->down[i].why);
    for (int d = 0; d < DP_DROP_COUNT; d++)
        if (dp->drops[d])
            fprintf(out, "  dropped:       %" PRIu64 " %s\n", dp->drops[d], dp_drop_name((enum dp_drop)d));
}

void dp_show_dropped(const struct datapath *dp, FILE *out)
{
    fprintf(out, "%-20s %-15s %10s\n", "Interface", "IP-Address", "Drop Count");
    for (unsigned i = 0; dp && i < dp->nifs; i++) {
        char ip[16];
        if (dp->ifs[i].drops)
            fprintf(out, "%-20s %-15s %10" PRIu64 "\n", dp->ifs[i].cfg->name, cfg_ip_str(dp->ifs[i].cfg->addr, ip),
                    dp->ifs[i].drops);
    }
}
