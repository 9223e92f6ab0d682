/* views.c - the exec commands xced answers on its control socket:
 *
 *   show running-config                              the canonical configuration
 *   show crypto map [tag TAG]                        crypto map entries
 *   show crypto ipsec transform-set [tag NAME]       transform sets
 *   show crypto ipsec security-association lifetime  the global SA lifetime
 *   show crypto isakmp policy                        the ISAKMP policies and the default one
 *   show crypto isakmp key                           the pre-shared keys (as running-config writes them)
 *   show crypto isakmp profile [tag NAME]            the ISAKMP profiles
 *   show crypto call admission statistics            the IKE call admission limits and counters
 *   show crypto engine configuration | brief | accelerator statistic
 *                                                    the daemon's engine (sw/common/engine_views.c)
 *   show xced                                        the daemon: uptime, reloads, control socket counters
 *   show crypto ipsec sa                             the SAs of the datapath, with their counters
 *   show crypto engine connections active | dropped-packet
 *   clear crypto sa [peer A.B.C.D | map TAG]         set manual SAs up afresh
 *   debug crypto ipsec, no debug crypto ipsec, undebug all, show debugging
 *
 * Words match as in IOS and xce: a unique prefix, an exact match first,
 * any case. A line that does not reach one of these commands is not the
 * daemon's (CTL_UNKNOWN: xce runs it itself); one that reaches a command
 * with wrong arguments gets IOS's '^' marker. Output formats follow IOS
 * 11.3/12.x (the seeds); nothing secret is shown (session keys only as
 * their SPIs), but pre-shared keys: as show running-config writes them
 * (in clear, as IOS shows them to an enable user, or type 6 under
 * "password encryption aes"). */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "datapath.h"
#include "engine_views.h"
#include "xced.h"

#define MAX_WORDS 64

struct line {
    int argc;
    char *argv[MAX_WORDS];
    size_t col[MAX_WORDS];
    const char *text;
};

typedef int (*view_fn)(struct xced *x, const struct line *l, int i, FILE *out, FILE *err);

struct vword {
    const char *name;
    const struct vword *next;
    view_fn run;   /* the command; words after it (from index i) are its arguments */
};

static void invalid_at(const struct line *l, int i, FILE *err)
{
    fprintf(err, "%s\n%*s^\n%% Invalid input detected at '^' marker.\n", l->text, (int)l->col[i], "");
}

static int kw(const char *name, const char *s)
{
    size_t n = strlen(s);
    return n > 0 && strncasecmp(name, s, n) == 0;
}

/* No argument left after word i. */
static int no_more(const struct line *l, int i, FILE *err)
{
    if (i < l->argc) {
        invalid_at(l, i, err);
        return 0;
    }
    return 1;
}


/* --- show running-config ------------------------------------------------------------- */
static int v_running(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    if (!no_more(l, i, err))
        return 1;
    return config_write(x->cfg, out) == 0 ? 0 : 1;
}

/* --- show crypto map --------------------------------------------------------------------- */
static const char *proto_name(unsigned p, char *b)
{
    static const struct {
        unsigned num;
        const char *name;
    } n[] = { { CFG_PROTO_IP, "ip" }, { 1, "icmp" }, { 2, "igmp" }, { 6, "tcp" }, { 17, "udp" },
              { 47, "gre" },          { 50, "esp" }, { 51, "ahp" }, { 89, "ospf" } };
    for (size_t k = 0; k < sizeof n / sizeof n[0]; k++)
        if (n[k].num == p)
            return n[k].name;
    sprintf(b, "%u", p);
    return b;
}

static void acl_lines(const struct config *c, unsigned acl, FILE *out)
{
    char b1[16], b2[16], b3[16];
    fprintf(out, "        Extended IP access list %u\n", acl);
    for (unsigned k = 0; k < c->naces; k++) {
        const struct cfg_ace *a = &c->aces[k];
        if (a->number != acl)
            continue;
        fprintf(out, "            access-list %u %s %s\n", a->number, a->deny ? "deny" : "permit",
                proto_name(a->proto, b3));
        fprintf(out, "                source: addr = %s/%s", cfg_ip_str(a->src, b1), cfg_ip_str(a->src_wild, b2));
        if (a->src_port >= 0)
            fprintf(out, " port = %d", a->src_port);
        fprintf(out, "\n                dest:   addr = %s/%s", cfg_ip_str(a->dst, b1), cfg_ip_str(a->dst_wild, b2));
        if (a->dst_port >= 0)
            fprintf(out, " port = %d", a->dst_port);
        fputc('\n', out);
    }
}

static void map_entry(const struct config *c, const struct cfg_crypto_map *m, FILE *out)
{
    char b[16];
    fprintf(out, "Crypto Map \"%s\" %u %s\n", m->tag, m->seq, m->type == CFG_MAP_MANUAL ? "ipsec-manual" : "ipsec-isakmp");
    if (m->description[0])
        fprintf(out, "        Description: %s\n", m->description);
    for (unsigned k = 0; k < m->npeers; k++)
        fprintf(out, "        Peer = %s\n", cfg_ip_str(m->peers[k], b));
    if (m->isakmp_profile[0])
        fprintf(out, "        ISAKMP Profile: %s\n", m->isakmp_profile);
    if (m->acl)
        acl_lines(c, m->acl, out);
    if (m->npeers)
        fprintf(out, "        Current peer: %s\n", cfg_ip_str(m->peers[0], b));
    if (m->type == CFG_MAP_ISAKMP) {
        fprintf(out, "        Session key lifetime: %u kilobytes/%u seconds\n", m->life_kb ? m->life_kb : c->sa_life_kb,
                m->life_sec ? m->life_sec : c->sa_life_sec);
        fprintf(out, "        PFS (Y/N): %s\n", m->pfs ? "Y" : "N");
        if (m->pfs)
            fprintf(out, "        DH group:  group%u\n", m->pfs);
    }
    fputs("        Transform proposals={ ", out);
    for (unsigned k = 0; k < m->ntsets; k++)
        fprintf(out, "%s, ", m->tsets[k]);
    fputs("}\n", out);
    if (m->type == CFG_MAP_MANUAL) {
        static const char *const dir[] = { "Inbound", "Outbound" };
        for (int d = CFG_IN; d <= CFG_OUT; d++) {
            if (m->esp[d].present)
                fprintf(out, "        %s esp spi: %" PRIu32 " (0x%" PRIX32 ")\n", dir[d], m->esp[d].spi, m->esp[d].spi);
            if (m->ah[d].present)
                fprintf(out, "        %s ah spi: %" PRIu32 " (0x%" PRIX32 ")\n", dir[d], m->ah[d].spi, m->ah[d].spi);
        }
    }
    int any = 0;
    for (unsigned k = 0; k < c->nifs; k++)
        if (strcmp(c->ifs[k].crypto_map, m->tag) == 0) {
            if (!any++)
                fprintf(out, "        Interfaces using crypto map %s:\n", m->tag);
            fprintf(out, "                %s\n", c->ifs[k].name);
        }
}

/* IOS 12.x: the map's local-address, before its first entry */
static void map_local(const struct config *c, const char *tag, FILE *out)
{
    char b[16];
    for (unsigned k = 0; k < c->nmap_locals; k++) {
        const struct cfg_map_local *l = &c->map_locals[k];
        const struct cfg_interface *f = config_find_interface(c, l->ifname);
        if (strcmp(l->tag, tag) == 0)
            fprintf(out, "Crypto Map: \"%s\" idb: %s local address: %s\n\n", tag, l->ifname,
                    f && f->has_address ? cfg_ip_str(f->addr, b) : "none");
    }
}

/* Parse an optional trailing "tag NAME" (nothing more may follow); *name stays NULL without it.
 * Returns 0, or 1 after reporting the error on err. */
static int opt_tag(const struct line *l, int i, const char **name, FILE *err)
{
    if (i >= l->argc)
        return 0;
    if (!kw("tag", l->argv[i])) {
        invalid_at(l, i, err);
        return 1;
    }
    if (i + 1 >= l->argc) {
        fputs("% Incomplete command.\n", err);
        return 1;
    }
    *name = l->argv[i + 1];
    return no_more(l, i + 2, err) ? 0 : 1;
}

static int v_crypto_map(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    const char *tag = NULL;
    if (opt_tag(l, i, &tag, err) != 0)
        return 1;
    unsigned shown = 0;
    for (unsigned k = 0; k < x->cfg->nmaps; k++) {
        const struct cfg_crypto_map *m = &x->cfg->maps[k];
        if (tag && strcmp(m->tag, tag) != 0)
            continue;
        if (shown++)
            fputc('\n', out);
        if (!k || strcmp(x->cfg->maps[k - 1].tag, m->tag) != 0)
            map_local(x->cfg, m->tag, out);
        map_entry(x->cfg, m, out);
    }
    if (tag && !shown) {
        fprintf(err, "%% Crypto map %s does not exist\n", tag);
        return 1;
    }
    return 0;
}

/* --- show crypto ipsec transform-set ------------------------------------------------------ */
static void tset_entry(const void *e, FILE *out)
{
    const struct cfg_transform_set *t = e;
    static const char *const ah[] = { "", "ah-md5-hmac", "ah-sha-hmac" };
    static const char *const cipher[] = { "", "esp-des", "esp-3des", "esp-aes", "esp-null" };
    static const char *const auth[] = { "", "esp-md5-hmac", "esp-sha-hmac", "esp-sha256-hmac" };
    const char *mode = t->mode == CFG_MODE_TRANSPORT ? "Transport" : "Tunnel";
    int first = 1;
    if (t->ah) {
        fprintf(out, "Transform set %s: { %s }\n", t->name, ah[t->ah]);
        fprintf(out, "   will negotiate = { %s, },\n", mode);
        first = 0;
    }
    if (t->cipher || t->esp_auth) {
        if (first)
            fprintf(out, "Transform set %s: { ", t->name);
        else
            fputs("   { ", out);
        if (t->cipher) {
            fputs(cipher[t->cipher], out);
            if (t->cipher == CFG_ESP_AES && t->aes_bits != 128)
                fprintf(out, " %u", t->aes_bits);
        }
        if (t->esp_auth)
            fprintf(out, "%s%s", t->cipher ? " " : "", auth[t->esp_auth]);
        fputs(" }\n", out);
        fprintf(out, "   will negotiate = { %s, },\n", mode);
    }
}

/* [tag NAME]: the elements of an array of objects that start with their
 * name (all, or the one of that name) by entry(), a blank line between */
static int show_tagged(const struct line *l, int i, FILE *out, FILE *err, const void *arr, unsigned n, size_t size,
                       void (*entry)(const void *, FILE *), const char *what)
{
    const char *name = NULL;
    if (opt_tag(l, i, &name, err) != 0)
        return 1;
    unsigned shown = 0;
    for (unsigned k = 0; k < n; k++) {
        const char *e = (const char *)arr + (size_t)k * size;
        if (name && strcmp(e, name) != 0)
            continue;
        if (shown++)
            fputc('\n', out);
        entry(e, out);
    }
    if (name && !shown) {
        fprintf(err, "%% %s %s does not exist\n", what, name);
        return 1;
    }
    return 0;
}
_Static_assert(offsetof(struct cfg_transform_set, name) == 0, "show_tagged: the name first");
_Static_assert(offsetof(struct cfg_isakmp_profile, name) == 0, "show_tagged: the name first");

static int v_tsets(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    return show_tagged(l, i, out, err, x->cfg->tsets, x->cfg->ntsets, sizeof *x->cfg->tsets, tset_entry,
                       "Transform set");
}

static int v_sa_lifetime(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    if (!no_more(l, i, err))
        return 1;
    fprintf(out, "Security association lifetime: %u kilobytes/%u seconds\n", x->cfg->sa_life_kb, x->cfg->sa_life_sec);
    return 0;
}

/* --- show crypto isakmp policy, key, profile ------------------------------------------------ */
/* IOS's words (seeds 003 and 004; aes, sha256 and the larger groups as
 * later IOS releases print them) */
static void policy_entry(const struct cfg_isakmp_policy *q, FILE *out)
{
    static const char *const hash[] = { "Secure Hash Standard", "Message Digest 5", "Secure Hash Standard 2 (256 bit)" };
    static const char *const auth[] = { "Rivest-Shamir-Adleman Signature", "Rivest-Shamir-Adleman Encryption",
                                        "Pre-Shared Key" };
    static const struct {
        unsigned group, bits;
    } dh[] = { { 1, 768 }, { 2, 1024 }, { 5, 1536 }, { 14, 2048 }, { 15, 3072 }, { 16, 4096 } };
    unsigned bits = 0;
    for (size_t k = 0; k < sizeof dh / sizeof dh[0]; k++)
        if (dh[k].group == q->group)
            bits = dh[k].bits;
    if (q->encr == CFG_IKE_AES)
        fprintf(out, "        %-24sAES - Advanced Encryption Standard (%u bit keys).\n", "encryption algorithm:",
                q->aes_bits);
    else
        fprintf(out, "        %-24s%s\n", "encryption algorithm:",
                q->encr == CFG_IKE_3DES ? "Three key triple DES" : "DES - Data Encryption Standard (56 bit keys).");
    fprintf(out, "        %-24s%s\n", "hash algorithm:", hash[q->hash]);
    fprintf(out, "        %-24s%s\n", "authentication method:", auth[q->auth]);
    fprintf(out, "        %-24s#%u (%u bit)\n", "Diffie-Hellman group:", q->group, bits);
    fprintf(out, "        %-24s%u seconds, no volume limit\n", "lifetime:", q->lifetime);
}

static int v_isakmp_policy(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    /* IOS's defaults: des, sha, rsa-sig, group 1, 86400 s */
    static const struct cfg_isakmp_policy def = { .encr = CFG_IKE_DES, .hash = CFG_IKE_SHA, .auth = CFG_IKE_RSA_SIG,
                                                  .group = 1, .lifetime = CFG_DEFAULT_IKE_LIFE };
    if (!no_more(l, i, err))
        return 1;
    for (unsigned k = 0; k < x->cfg->npolicies; k++) {
        fprintf(out, "Protection suite of priority %u\n", x->cfg->policies[k].priority);
        policy_entry(&x->cfg->policies[k], out);
        fputc('\n', out);
    }
    fputs("Default protection suite\n", out);
    policy_entry(&def, out);
    return 0;
}

static void key_line(const char *ring, const struct cfg_isakmp_key *k, FILE *out)
{
    char b1[16], b2[16], peer[CFG_DOMAIN_MAX + 40], t[CFG_TYPE6_MAX + 3];
    if (k->by_hostname)
        snprintf(peer, sizeof peer, "%s", k->hostname);
    else if (k->mask == 0xffffffffu)
        snprintf(peer, sizeof peer, "%s", cfg_ip_str(k->addr, b1));
    else
        snprintf(peer, sizeof peer, "%s [%s]", cfg_ip_str(k->addr, b1), cfg_ip_str(k->mask, b2));
    fprintf(out, "%-13s%-44s%s\n", ring, peer, cfg_psk_text(k, t, sizeof t));
    OPENSSL_cleanse(t, sizeof t);
}

/* The keys as show running-config writes them: in clear, as IOS shows
 * them to an enable user (the control socket's group is xced's enable
 * level), or type 6 when the configuration asks for it: no view shows
 * more than running-config (README). */
static int v_isakmp_key(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    const struct config *c = x->cfg;
    if (!no_more(l, i, err))
        return 1;
    fprintf(out, "%-13s%-44s%s\n", "Keyring", "Hostname/Address", "Preshared Key");
    fputc('\n', out);
    for (unsigned k = 0; k < c->nikeys; k++)
        key_line("default", &c->ikeys[k], out);
    for (unsigned r = 0; r < c->nkeyrings; r++)
        for (unsigned k = 0; k < c->keyrings[r].nkeys; k++)
            key_line(c->keyrings[r].name, &c->keyrings[r].keys[k], out);
    return 0;
}

static void profile_entry(const void *e, FILE *out)
{
    const struct cfg_isakmp_profile *q = e;
    static const char *const ident[] = { "ip-address ", "host ", "host domain ", "user-fqdn ", "user-fqdn domain " };
    static const char *const self[] = { "", "address", "fqdn", "user-fqdn " };
    char b1[16], b2[16];
    fprintf(out, "ISAKMP PROFILE %s\n", q->name);
    if (q->description[0])
        fprintf(out, "   Description: %s\n", q->description);
    fputs("   Identities matched are:\n", out);
    for (unsigned k = 0; k < q->nidents; k++) {
        const struct cfg_ident *d = &q->idents[k];
        if (d->type == CFG_IDENT_ADDRESS)
            fprintf(out, "    %s%s %s\n", ident[d->type], cfg_ip_str(d->addr, b1), cfg_ip_str(d->mask, b2));
        else
            fprintf(out, "    %s%s\n", ident[d->type], d->name);
    }
    fputs("   Certificate maps matched are:\n", out);
    for (unsigned k = 0; k < q->ncertmaps; k++)
        fprintf(out, "    %s\n", q->certmaps[k]);
    fputs("   keyring(s): ", out);
    for (unsigned k = 0; k < q->nkeyrings; k++)
        fprintf(out, "%s%s", k ? ", " : "", q->keyrings[k]);
    fputs(q->nkeyrings ? "\n" : "<none>\n", out);
    fputs("   trustpoint(s): <all>\n", out);
    if (q->self_id)
        fprintf(out, "   self-identity: %s%s\n", self[q->self_id], q->self_user_fqdn);
    if (q->keepalive)
        fprintf(out, "   keepalive: %u seconds, retry %u seconds\n", q->keepalive, q->keepalive_retry);
    if (q->local.set)
        fprintf(out, "   local-address: %s\n", q->local.ifname[0] ? q->local.ifname : cfg_ip_str(q->local.addr, b1));
}

static int v_isakmp_profile(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    return show_tagged(l, i, out, err, x->cfg->profiles, x->cfg->nprofiles, sizeof *x->cfg->profiles, profile_entry,
                       "ISAKMP profile");
}

/* --- show crypto call admission statistics --------------------------------------------------------- */
/* The counters are the IKE engine's (issue 9); until it runs they are 0. */
struct cac_counters {
    unsigned long active, negotiating, in_accepted, in_rejected, out_accepted, out_rejected, rej_resource, rej_limit;
};

static int v_cac_stats(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    static const struct cac_counters n;   /* no IKE engine yet: all zero */
    const char *rule = "-----------------------------------------------------------\n";
    if (!no_more(l, i, err))
        return 1;
    fputs(rule, out);
    fputs("           Crypto Call Admission Control Statistics\n", out);
    fputs(rule, out);
    fprintf(out, "%-22s%9u %-12s%6u %-12s%6u\n", "System Resource Limit:", 0u, "Max IKE SAs:", x->cfg->cac_ike_sa,
            "Max in nego:", x->cfg->cac_in_nego);
    fprintf(out, "%-22s%9lu %-12s%6lu %-12s%6lu\n", "Total IKE SA Count:", n.active + n.negotiating, "active:",
            n.active, "negotiating:", n.negotiating);
    fprintf(out, "%-22s%9lu %-12s%6lu %-12s%6lu\n", "Incoming IKE Requests:", n.in_accepted + n.in_rejected,
            "accepted:", n.in_accepted, "rejected:", n.in_rejected);
    fprintf(out, "%-22s%9lu %-12s%6lu %-12s%6lu\n", "Outgoing IKE Requests:", n.out_accepted + n.out_rejected,
            "accepted:", n.out_accepted, "rejected:", n.out_rejected);
    fprintf(out, "%-22s%9lu %-12s%6lu %-12s%6lu\n", "Rejected IKE Requests:", n.rej_resource + n.rej_limit,
            "rsrc low:", n.rej_resource, "SA limit:", n.rej_limit);
    return 0;
}

/* --- show crypto engine ... ---------------------------------------------------------------- */
static int read_engine(struct xced *x, struct xce_info *in, struct xce_stats *st, FILE *err)
{
    int r = xce_get_info(x->dev, in);
    if (r == XCE_OK && st)
        r = xce_get_stats(x->dev, st);
    if (r != XCE_OK) {
        fprintf(err, "%% xced: cannot read the state of device '%s': %s\n", xced_device_name(x), xce_strerror(r));
        return -1;
    }
    return 0;
}

static int v_engine_conf(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    struct xce_info in;
    if (!no_more(l, i, err) || read_engine(x, &in, NULL, err) != 0)
        return 1;
    engine_view_configuration(out, &in);
    return 0;
}

static int v_engine_brief(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    struct xce_info in;
    if (!no_more(l, i, err) || read_engine(x, &in, NULL, err) != 0)
        return 1;
    engine_view_brief(out, &in);
    return 0;
}

static int v_engine_stats(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    struct xce_info in;
    struct xce_stats st;
    if (!no_more(l, i, err) || read_engine(x, &in, &st, err) != 0)
        return 1;
    engine_view_accel_stats(out, &in, &st);
    return 0;
}

/* --- show xced --------------------------------------------------------------------------------- */
static int v_xced(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    if (!no_more(l, i, err))
        return 1;
    long up = (long)(time(NULL) - x->started);
    const struct ctl_stats *s = ctl_get_stats(x->ctl);
    fprintf(out, "xced %s, process %ld, up %ld:%02ld:%02ld\n", XCED_VERSION, (long)getpid(), up / 3600,
            (up / 60) % 60, up % 60);
    fprintf(out, "Configuration:   %s (%u reloads, %u refused)\n", x->config_path, x->reloads, x->reload_failures);
    fprintf(out, "Engine:          %s\n", xced_device_name(x));
    fprintf(out, "Control socket:  %s\n", ctl_path(x->ctl));
    fprintf(out, "  connections:   %llu (%llu dropped: too many at once)\n", s->accepted, s->dropped);
    fprintf(out, "  requests:      %llu answered, %llu not xced's\n", s->answered, s->unknown);
    fprintf(out, "  refused:       %llu malformed, %llu timed out\n", s->refused, s->timeouts);
    dp_show_counters(x->dp, out);
    return 0;
}

/* --- the datapath: show crypto ipsec sa, connections, clear, debug ------------------------------ */
static int v_ipsec_sa(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    if (!no_more(l, i, err))
        return 1;
    dp_show_ipsec_sa(x->dp, out);
    return 0;
}

static int v_conn_active(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    if (!no_more(l, i, err))
        return 1;
    dp_show_connections(x->dp, out);
    return 0;
}

static int v_conn_dropped(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    if (!no_more(l, i, err))
        return 1;
    dp_show_dropped(x->dp, out);
    return 0;
}

/* clear crypto sa [peer A.B.C.D | map TAG] */
static int v_clear_sa(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    (void)out;
    uint32_t peer = 0;
    const char *map = NULL;
    if (i < l->argc) {
        if (kw("peer", l->argv[i]) && i + 1 < l->argc) {
            if (cfg_parse_ip(l->argv[i + 1], &peer) != 0) {
                invalid_at(l, i + 1, err);
                return 1;
            }
        } else if (kw("map", l->argv[i]) && i + 1 < l->argc) {
            map = l->argv[i + 1];
        } else {
            invalid_at(l, i, err);
            return 1;
        }
        if (!no_more(l, i + 2, err))
            return 1;
    }
    unsigned n = dp_clear_sa(x->dp, peer, map);
    xlog(LOG_NOTICE, "clear crypto sa: %u crypto map entr%s set up again", n, n == 1 ? "y" : "ies");
    return 0;
}

static int set_debug(struct xced *x, const struct line *l, int i, FILE *err, int on)
{
    if (!no_more(l, i, err))
        return 1;
    x->debug_ipsec = on;
    if (x->dp)
        x->dp->debug = on;
    return 0;
}

static int v_debug_ipsec(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    int st = set_debug(x, l, i, err, 1);
    if (!st)
        fputs("Crypto IPSEC debugging is on\n", out);
    return st;
}

static int v_undebug_ipsec(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    int st = set_debug(x, l, i, err, 0);
    if (!st)
        fputs("Crypto IPSEC debugging is off\n", out);
    return st;
}

static int v_undebug_all(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    int st = set_debug(x, l, i, err, 0);
    if (!st)
        fputs("All possible debugging has been turned off\n", out);
    return st;
}

static int v_show_debugging(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    if (!no_more(l, i, err))
        return 1;
    if (x->debug_ipsec)
        fputs("Cryptographic Subsystem:\n  Crypto IPSEC debugging is on\n", out);
    return 0;
}

/* --- the words ------------------------------------------------------------------------------------ */
static const struct vword engine_accel[] = { { "statistic", NULL, v_engine_stats }, { NULL, NULL, NULL } };
static const struct vword engine_conn_words[] = {
    { "active", NULL, v_conn_active },
    { "dropped-packet", NULL, v_conn_dropped },
    { NULL, NULL, NULL },
};
static const struct vword engine_words[] = {
    { "accelerator", engine_accel, NULL },
    { "brief", NULL, v_engine_brief },
    { "configuration", NULL, v_engine_conf },
    { "connections", engine_conn_words, NULL },
    { NULL, NULL, NULL },
};
static const struct vword sa_words[] = { { "lifetime", NULL, v_sa_lifetime }, { NULL, NULL, NULL } };
static const struct vword ipsec_words[] = {
    { "sa", NULL, v_ipsec_sa },
    { "security-association", sa_words, NULL },
    { "transform-set", NULL, v_tsets },
    { NULL, NULL, NULL },
};
static const struct vword isakmp_words[] = {
    { "key", NULL, v_isakmp_key },
    { "policy", NULL, v_isakmp_policy },
    { "profile", NULL, v_isakmp_profile },
    { NULL, NULL, NULL },
};
static const struct vword cac_words[] = { { "statistics", NULL, v_cac_stats }, { NULL, NULL, NULL } };
static const struct vword call_words[] = { { "admission", cac_words, NULL }, { NULL, NULL, NULL } };
static const struct vword crypto_words[] = {
    { "call", call_words, NULL },
    { "engine", engine_words, NULL },
    { "ipsec", ipsec_words, NULL },
    { "isakmp", isakmp_words, NULL },
    { "map", NULL, v_crypto_map },
    { NULL, NULL, NULL },
};
static const struct vword show_words[] = {
    { "crypto", crypto_words, NULL },
    { "debugging", NULL, v_show_debugging },
    { "running-config", NULL, v_running },
    { "xced", NULL, v_xced },
    { NULL, NULL, NULL },
};
static const struct vword clear_crypto[] = { { "sa", NULL, v_clear_sa }, { NULL, NULL, NULL } };
static const struct vword clear_words[] = { { "crypto", clear_crypto, NULL }, { NULL, NULL, NULL } };
static const struct vword debug_crypto[] = { { "ipsec", NULL, v_debug_ipsec }, { NULL, NULL, NULL } };
static const struct vword debug_words[] = { { "crypto", debug_crypto, NULL }, { NULL, NULL, NULL } };
static const struct vword undebug_crypto[] = { { "ipsec", NULL, v_undebug_ipsec }, { NULL, NULL, NULL } };
static const struct vword undebug_words[] = {
    { "all", NULL, v_undebug_all },
    { "crypto", undebug_crypto, NULL },
    { NULL, NULL, NULL },
};
static const struct vword no_words[] = { { "debug", undebug_words, NULL }, { NULL, NULL, NULL } };
static const struct vword top_words[] = {
    { "clear", clear_words, NULL },
    { "debug", debug_words, NULL },
    { "no", no_words, NULL },
    { "show", show_words, NULL },
    { "undebug", undebug_words, NULL },
    { NULL, NULL, NULL },
};

static const struct vword *match(const struct vword *level, const char *s)
{
    const struct vword *found = NULL;
    unsigned count = 0;
    size_t n = strlen(s);
    for (const struct vword *w = level; w->name; w++) {
        if (strcasecmp(w->name, s) == 0)
            return w;
        if (n && strncasecmp(w->name, s, n) == 0) {
            found = w;
            count++;
        }
    }
    return count == 1 ? found : NULL;
}

int views_run(void *arg, const char *text, FILE *out, FILE *err)
{
    struct xced *x = arg;
    char *copy = strdup(text);
    if (!copy)
        return 1;
    struct line l = { .argc = 0, .text = text };
    for (char *p = copy; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        if (l.argc == MAX_WORDS) {
            free(copy);
            return CTL_UNKNOWN;
        }
        l.col[l.argc] = (size_t)(p - copy);
        l.argv[l.argc++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
    }
    int st = CTL_UNKNOWN;
    const struct vword *level = top_words;
    for (int i = 0; i < l.argc && level; i++) {
        const struct vword *w = match(level, l.argv[i]);
        if (!w)
            break;
        if (w->run) {
            st = w->run(x, &l, i + 1, out, err);
            break;
        }
        level = w->next;
    }
    free(copy);
    return st;
}
