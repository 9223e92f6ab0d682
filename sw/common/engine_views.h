/* engine_views.h - the IOS "show crypto engine" views of an engine, shared
 * by the xce CLI and the daemon xced. Each prints into f what
 * xce_get_info() (and xce_get_stats()) returned; the caller reads them
 * from its device and reports its own errors.
 *
 *   show crypto engine configuration          engine_view_configuration()
 *   show crypto engine brief                  engine_view_brief()
 *   show crypto engine accelerator statistic  engine_view_accel_stats()
 */
#ifndef XCE_ENGINE_VIEWS_H
#define XCE_ENGINE_VIEWS_H

#include <stdio.h>

#include "xce.h"

void engine_view_configuration(FILE *f, const struct xce_info *in);
void engine_view_brief(FILE *f, const struct xce_info *in);
void engine_view_accel_stats(FILE *f, const struct xce_info *in, const struct xce_stats *st);

#endif
