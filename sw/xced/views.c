/* views.c - the exec commands xced answers on its control socket:
 *
 *   show running-config                              the canonical configuration
 *   show crypto map [tag TAG]                        crypto map entries
 *   show crypto ipsec transform-set [tag NAME]       transform sets
 *   show crypto ipsec security-association lifetime  the global SA lifetime
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
 * their SPIs). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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
        map_entry(x->cfg, m, out);
    }
    if (tag && !shown) {
        fprintf(err, "%% Crypto map %s does not exist\n", tag);
        return 1;
    }
    return 0;
}

/* --- show crypto ipsec transform-set ------------------------------------------------------ */
static void tset_entry(const struct cfg_transform_set *t, FILE *out)
{
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

static int v_tsets(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    const char *name = NULL;
    if (opt_tag(l, i, &name, err) != 0)
        return 1;
    unsigned shown = 0;
    for (unsigned k = 0; k < x->cfg->ntsets; k++) {
        const struct cfg_transform_set *t = &x->cfg->tsets[k];
        if (name && strcmp(t->name, name) != 0)
            continue;
        if (shown++)
            fputc('\n', out);
        tset_entry(t, out);
    }
    if (name && !shown) {
        fprintf(err, "%% Transform set %s does not exist\n", name);
        return 1;
    }
    return 0;
}

static int v_sa_lifetime(struct xced *x, const struct line *l, int i, FILE *out, FILE *err)
{
    if (!no_more(l, i, err))
        return 1;
    fprintf(out, "Security association lifetime: %u kilobytes/%u seconds\n", x->cfg->sa_life_kb, x->cfg->sa_life_sec);
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
static const struct vword crypto_words[] = {
    { "engine", engine_words, NULL },
    { "ipsec", ipsec_words, NULL },
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
