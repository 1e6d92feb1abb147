/*
** Dates, timestamps and money.
**
** Timestamps are stored as Unix seconds in UTC.  Calendar dates (birthdays,
** follow-ups) are stored as text 'YYYY-MM-DD', which sorts as it should in
** both engines; a yearly date may lack its year ('--MM-DD').
*/
#ifndef RP_DATE_H
#define RP_DATE_H

#include <stdint.h>

typedef struct rp_date {
	int y; /* 0 when the year is unknown */
	int m, d;
} rp_date;

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t rp_days_from_civil(int y, int m, int d);
rp_date rp_civil_from_days(int64_t days);
int rp_days_in_month(int y, int m); /* y = 0 counts February as 29 */

/* The day (days since 1970-01-01, UTC) of a Unix time, rounding down for
** times before 1970 too. */
int64_t rp_day_of(int64_t t);

/* Parse 'YYYY-MM-DD' or, when allow_noyear, '--MM-DD'.  Returns 0 on
** success, -1 when s is not a valid date. */
int rp_date_parse(const char *s, int allow_noyear, rp_date *out);

/* Format as 'YYYY-MM-DD' or '--MM-DD'; buf needs 11 bytes. */
char *rp_date_format(rp_date d, char buf[11]);

/* Today's date in UTC, or the date in RAPPORT_TODAY when set (tests and
** demos use it to fix the clock), or the day of RAPPORT_NOW when that is. */
rp_date rp_today(void);

/* Now in Unix seconds; RAPPORT_NOW (seconds or an ISO time) fixes it to
** that second, else RAPPORT_TODAY to noon of that day. */
int64_t rp_now(void);

/* Parse an ISO 8601 timestamp: 'YYYY-MM-DD', 'YYYY-MM-DD[T ]HH:MM[:SS]'
** with an optional 'Z' or '+HH:MM'/'-HH:MM' offset (no offset means UTC),
** or a plain integer of Unix seconds.  Returns 0 or -1. */
int rp_ts_parse(const char *s, int64_t *out);

/* Format as 'YYYY-MM-DDTHH:MM:SSZ'; buf needs 21 bytes. */
char *rp_ts_format(int64_t t, char buf[21]);

/* Money in integer minor units: parse '1234', '1234.5', '1234.50',
** '-12.30' (at most two decimals, no exponent, no thousands separators).
** Returns 0 or -1. */
int rp_money_parse(const char *s, int64_t *minor);
char *rp_money_format(int64_t minor, char buf[32]);

#endif
