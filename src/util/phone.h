/*
** util/phone: telephone numbers in E.164 form (+ and 8 to 15 digits) from
** the national forms people write, for a documented set of regions.
**
** The rules, per region (country code, trunk prefix, international
** prefix, digits of a national number without the trunk prefix):
**   RU +7  trunk 8  international 810 (and 00)  10 digits
**   GB +44 trunk 0  international 00            9 or 10 digits
**   US +1  trunk 1  international 011           10 digits
**   DE +49 trunk 0  international 00            5 to 13 digits
**   FR +33 trunk 0  international 00            9 digits
** Spaces, tabs, dots, dashes, slashes and brackets are dropped.  A number
** starting with + keeps its country code; one starting with the region's
** international prefix gets a +; one starting with the trunk prefix, or a
** bare national number, gets the region's country code.  RU also takes
** 11 digits starting with 7 as +7.  Anything else is refused with the
** reason: no guess is made that could match the wrong person.
*/
#ifndef RP_PHONE_H
#define RP_PHONE_H

#include <stddef.h>

#include "util/err.h"

/* The regions known, "RU, GB, US, DE or FR" for messages. */
extern const char *const phone_regions[];
/* 0 if region (upper case, two letters) is known, else RP_EINVAL naming those that are. */
int phone_region_check(const char *region, rp_err *e);
/* raw in E.164 into buf (at least 17 bytes), or RP_EINVAL saying why. */
int phone_e164(const char *raw, const char *region, char *buf, size_t size, rp_err *e);

#endif
