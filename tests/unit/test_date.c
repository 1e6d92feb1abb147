/* util/date: the civil calendar, dates, timestamps and money. */
#include "testlib.h"

#include <inttypes.h>
#include <stdio.h>

static int is_leap(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

/* ---- days <-> civil ------------------------------------------------------ */

static void test_civil_known_points(void **state)
{
	(void)state;
	assert_int_equal(rp_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(rp_days_from_civil(1970, 1, 2), 1);
	assert_int_equal(rp_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(rp_days_from_civil(2000, 1, 1), 10957);
	assert_int_equal(rp_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(rp_days_from_civil(1900, 1, 1), -25567);
	assert_int_equal(rp_days_from_civil(2024, 2, 29), 19782);
	assert_int_equal(rp_days_from_civil(1, 1, 1), -719162);
	/* 2000 is a leap year (divisible by 400), 1900 is not (by 100). */
	assert_int_equal(rp_days_from_civil(2000, 3, 1) - rp_days_from_civil(2000, 2, 28), 2);
	assert_int_equal(rp_days_from_civil(1900, 3, 1) - rp_days_from_civil(1900, 2, 28), 1);
	assert_int_equal(rp_days_from_civil(2100, 3, 1) - rp_days_from_civil(2100, 2, 28), 1);
	assert_int_equal(rp_days_from_civil(2024, 3, 1) - rp_days_from_civil(2024, 2, 28), 2);
	assert_int_equal(rp_days_from_civil(2001, 1, 1) - rp_days_from_civil(2000, 1, 1), 366);
	assert_int_equal(rp_days_from_civil(1901, 1, 1) - rp_days_from_civil(1900, 1, 1), 365);

	rp_date d = rp_civil_from_days(0);
	assert_int_equal(d.y, 1970);
	assert_int_equal(d.m, 1);
	assert_int_equal(d.d, 1);
	d = rp_civil_from_days(-1);
	assert_int_equal(d.y, 1969);
	assert_int_equal(d.m, 12);
	assert_int_equal(d.d, 31);
	d = rp_civil_from_days(19782);
	assert_int_equal(d.y, 2024);
	assert_int_equal(d.m, 2);
	assert_int_equal(d.d, 29);
}

static void test_civil_walk(void **state)
{
	(void)state;
	/* Every day from 1600 to 2400 (several 400-year cycles, 1700/1800/1900
	** and 2100/2200/2300 without 29 Feb, 1600/2000/2400 with it): the day
	** numbers are consecutive and map back to the same date. */
	int64_t expect = rp_days_from_civil(1600, 1, 1);
	long checked = 0;
	for (int y = 1600; y <= 2400; y++) {
		for (int m = 1; m <= 12; m++) {
			int dim = rp_days_in_month(y, m);
			if (m == 2)
				assert_int_equal(dim, is_leap(y) ? 29 : 28);
			for (int dd = 1; dd <= dim; dd++) {
				int64_t n = rp_days_from_civil(y, m, dd);
				if (n != expect)
					fail_msg("%04d-%02d-%02d: %" PRId64 ", expected %" PRId64, y, m, dd, n,
						 expect);
				rp_date back = rp_civil_from_days(n);
				if (back.y != y || back.m != m || back.d != dd)
					fail_msg("%" PRId64 " -> %04d-%02d-%02d, expected %04d-%02d-%02d", n,
						 back.y, back.m, back.d, y, m, dd);
				expect++;
				checked++;
			}
		}
	}
	assert_int_equal(checked, expect - rp_days_from_civil(1600, 1, 1));
	assert_int_equal(expect, rp_days_from_civil(2401, 1, 1));
}

static void test_civil_wide_round_trip(void **state)
{
	(void)state;
	/* A wide range of day numbers, including before year 0 and far ahead. */
	for (int64_t n = -3000000; n <= 3000000; n += 7) {
		rp_date d = rp_civil_from_days(n);
		assert_true(d.m >= 1 && d.m <= 12);
		assert_true(d.d >= 1 && d.d <= rp_days_in_month(d.y, d.m));
		if (rp_days_from_civil(d.y, d.m, d.d) != n)
			fail_msg("%" PRId64 " -> %d-%02d-%02d does not come back", n, d.y, d.m, d.d);
	}
}

static void test_days_in_month(void **state)
{
	(void)state;
	assert_int_equal(rp_days_in_month(0, 2), 29); /* no year: 29 allowed */
	assert_int_equal(rp_days_in_month(1900, 2), 28);
	assert_int_equal(rp_days_in_month(2000, 2), 29);
	assert_int_equal(rp_days_in_month(2023, 2), 28);
	assert_int_equal(rp_days_in_month(2024, 4), 30);
	assert_int_equal(rp_days_in_month(2024, 12), 31);
	assert_int_equal(rp_days_in_month(2024, 0), 0);
	assert_int_equal(rp_days_in_month(2024, 13), 0);
}

/* ---- dates ----------------------------------------------------------------- */

static void expect_date(const char *s, int allow_noyear, int y, int m, int d)
{
	rp_date out = {-1, -1, -1};
	if (rp_date_parse(s, allow_noyear, &out) != 0)
		fail_msg("rp_date_parse(\"%s\", %d) refused a valid date", s, allow_noyear);
	assert_int_equal(out.y, y);
	assert_int_equal(out.m, m);
	assert_int_equal(out.d, d);
	char buf[11];
	assert_string_equal(rp_date_format(out, buf), s);
}

static void expect_bad_date(const char *s, int allow_noyear)
{
	rp_date out = {7, 7, 7};
	if (rp_date_parse(s, allow_noyear, &out) != -1)
		fail_msg("rp_date_parse(\"%s\", %d) accepted it", s ? s : "(null)", allow_noyear);
	/* a refused date leaves the output alone */
	assert_int_equal(out.y, 7);
	assert_int_equal(out.m, 7);
	assert_int_equal(out.d, 7);
}

static void test_date_parse_valid(void **state)
{
	(void)state;
	expect_date("2024-01-31", 0, 2024, 1, 31);
	expect_date("1985-12-01", 1, 1985, 12, 1);
	expect_date("0001-01-01", 0, 1, 1, 1);
	expect_date("9999-12-31", 0, 9999, 12, 31);
	expect_date("2024-02-29", 0, 2024, 2, 29);
	expect_date("2000-02-29", 0, 2000, 2, 29);
	expect_date("--06-15", 1, 0, 6, 15);
	expect_date("--12-31", 1, 0, 12, 31);
	/* Without a year, 29 February is a fine yearly date. */
	expect_date("--02-29", 1, 0, 2, 29);
}

static void test_date_parse_invalid(void **state)
{
	(void)state;
	/* 29 February only in leap years */
	expect_bad_date("2023-02-29", 0);
	expect_bad_date("1900-02-29", 0);
	expect_bad_date("2100-02-29", 1);
	expect_bad_date("2024-02-30", 0);
	expect_bad_date("--02-30", 1);
	/* --MM-DD only when allowed */
	expect_bad_date("--06-15", 0);
	expect_bad_date("--02-29", 0);
	/* out of range parts */
	expect_bad_date("2024-00-10", 0);
	expect_bad_date("2024-13-10", 0);
	expect_bad_date("2024-01-00", 0);
	expect_bad_date("2024-01-32", 0);
	expect_bad_date("2024-04-31", 0);
	expect_bad_date("0000-01-01", 0);
	expect_bad_date("--00-10", 1);
	expect_bad_date("--13-01", 1);
	expect_bad_date("--01-00", 1);
	/* wrong lengths */
	expect_bad_date("2024-1-01", 0);
	expect_bad_date("2024-01-1", 0);
	expect_bad_date("24-01-01", 0);
	expect_bad_date("2024-01-011", 0);
	expect_bad_date("02024-01-01", 0);
	expect_bad_date("--6-15", 1);
	expect_bad_date("--06-1", 1);
	expect_bad_date("--06-155", 1);
	expect_bad_date("--0615", 1);
	/* garbage */
	expect_bad_date("", 0);
	expect_bad_date("", 1);
	expect_bad_date(NULL, 1);
	expect_bad_date("-", 1);
	expect_bad_date("--", 1);
	expect_bad_date("abcd-ef-gh", 0);
	expect_bad_date("2024/01/01", 0);
	expect_bad_date("2024-01/01", 0);
	expect_bad_date(" 2024-01-01", 0);
	expect_bad_date("2024-01-01 ", 0);
	expect_bad_date("2024-0a-01", 0);
	expect_bad_date("+024-01-01", 0);
	expect_bad_date("-024-01-01", 0);
	expect_bad_date("2024-+1-01", 0);
	expect_bad_date("--+1-01", 1);
	expect_bad_date("today", 1);
}

static void test_date_format(void **state)
{
	(void)state;
	char buf[11];
	assert_string_equal(rp_date_format((rp_date){2024, 3, 5}, buf), "2024-03-05");
	assert_string_equal(rp_date_format((rp_date){0, 2, 29}, buf), "--02-29");
	assert_string_equal(rp_date_format((rp_date){987, 11, 9}, buf), "0987-11-09");
}

static void test_today_and_now(void **state)
{
	(void)state;
	setenv("RAPPORT_TODAY", "2024-02-29", 1);
	rp_date t = rp_today();
	assert_int_equal(t.y, 2024);
	assert_int_equal(t.m, 2);
	assert_int_equal(t.d, 29);
	/* noon of that day */
	assert_int_equal(rp_now(), rp_days_from_civil(2024, 2, 29) * 86400 + 12 * 3600);
	char buf[21];
	assert_string_equal(rp_ts_format(rp_now(), buf), "2024-02-29T12:00:00Z");

	/* a fixed date that is not a date is ignored: the clock is used */
	setenv("RAPPORT_TODAY", "not-a-date", 1);
	t = rp_today();
	assert_true(t.y >= 2024);
	assert_true(rp_now() > rp_days_from_civil(2024, 1, 1) * 86400);
	unsetenv("RAPPORT_TODAY");
}

/* RAPPORT_NOW fixes the clock to the second, before RAPPORT_TODAY. */
static void test_fixed_now(void **state)
{
	(void)state;
	int64_t at = rp_days_from_civil(2026, 11, 23) * 86400 + 10 * 3600 + 5 * 60 + 7;
	setenv("RAPPORT_TODAY", "2024-02-29", 1);
	setenv("RAPPORT_NOW", "2026-11-23T10:05:07Z", 1);
	assert_int_equal(rp_now(), at);
	rp_date t = rp_today();
	assert_true(t.y == 2026 && t.m == 11 && t.d == 23);
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)(at + 61));
	setenv("RAPPORT_NOW", buf, 1);
	assert_int_equal(rp_now(), at + 61);
	/* not a time: ignored, RAPPORT_TODAY decides */
	setenv("RAPPORT_NOW", "soon", 1);
	assert_int_equal(rp_now(), rp_days_from_civil(2024, 2, 29) * 86400 + 12 * 3600);
	unsetenv("RAPPORT_NOW");
	unsetenv("RAPPORT_TODAY");
}

/* ---- timestamps -------------------------------------------------------------- */

static int64_t ts(int y, int m, int d, int hh, int mm, int ss)
{
	return rp_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

static void expect_ts(const char *s, int64_t want)
{
	int64_t got = 12345;
	if (rp_ts_parse(s, &got) != 0)
		fail_msg("rp_ts_parse(\"%s\") refused it", s);
	if (got != want)
		fail_msg("rp_ts_parse(\"%s\") = %" PRId64 ", expected %" PRId64, s, got, want);
}

static void expect_bad_ts(const char *s)
{
	int64_t got = 12345;
	if (rp_ts_parse(s, &got) != -1)
		fail_msg("rp_ts_parse(\"%s\") accepted it as %" PRId64, s ? s : "(null)", got);
	assert_int_equal(got, 12345);
}

static void test_ts_parse_valid(void **state)
{
	(void)state;
	/* date only: midnight UTC */
	expect_ts("2024-03-10", ts(2024, 3, 10, 0, 0, 0));
	expect_ts("1969-12-31", -86400);
	/* T or a space, seconds optional */
	expect_ts("2024-03-10T12:34", ts(2024, 3, 10, 12, 34, 0));
	expect_ts("2024-03-10 12:34", ts(2024, 3, 10, 12, 34, 0));
	expect_ts("2024-03-10T12:34:56", ts(2024, 3, 10, 12, 34, 56));
	expect_ts("2024-03-10 12:34:56", ts(2024, 3, 10, 12, 34, 56));
	expect_ts("2024-03-10t23:59:59z", ts(2024, 3, 10, 23, 59, 59));
	expect_ts("2024-02-29T00:00:00Z", ts(2024, 2, 29, 0, 0, 0));
	/* fractions of a second are dropped */
	expect_ts("2024-03-10T12:34:56.789Z", ts(2024, 3, 10, 12, 34, 56));
	expect_ts("2024-03-10T12:34:56.5", ts(2024, 3, 10, 12, 34, 56));
	expect_ts("2024-03-10T12:34:56.123456+03:00", ts(2024, 3, 10, 9, 34, 56));
	/* Z and offsets */
	expect_ts("2024-03-10T12:34:56Z", ts(2024, 3, 10, 12, 34, 56));
	expect_ts("2024-03-10T12:34:56+03:00", ts(2024, 3, 10, 9, 34, 56));
	expect_ts("2024-03-10T12:34+03:00", ts(2024, 3, 10, 9, 34, 0));
	expect_ts("2024-03-10T12:34:56-0130", ts(2024, 3, 10, 14, 4, 56));
	expect_ts("2024-03-10T12:34:56-01:30", ts(2024, 3, 10, 14, 4, 56));
	expect_ts("2024-03-10T12:34:56+0000", ts(2024, 3, 10, 12, 34, 56));
	/* an offset can cross midnight and the year */
	expect_ts("2024-01-01T01:00:00+03:00", ts(2023, 12, 31, 22, 0, 0));
	expect_ts("2023-12-31T23:30:00-01:00", ts(2024, 1, 1, 0, 30, 0));
	/* plain Unix seconds */
	expect_ts("0", 0);
	expect_ts("1700000000", 1700000000);
	expect_ts("-86400", -86400);
	expect_ts("000000000042", 42);
}

static void test_ts_parse_invalid(void **state)
{
	(void)state;
	expect_bad_ts(NULL);
	expect_bad_ts("");
	expect_bad_ts("-");
	expect_bad_ts("abc");
	expect_bad_ts("12ab");
	expect_bad_ts("1234567890123"); /* too many digits for seconds, not a date */
	expect_bad_ts("2024-03-1");
	expect_bad_ts("2024-02-30");
	expect_bad_ts("2023-02-29T10:00");
	expect_bad_ts("2024-03-10T");
	expect_bad_ts("2024-03-10T1");
	expect_bad_ts("2024-03-10T12");
	expect_bad_ts("2024-03-10T12:");
	expect_bad_ts("2024-03-10T12:3");
	expect_bad_ts("2024-03-10T12:34:");
	expect_bad_ts("2024-03-10T12:34:5");
	expect_bad_ts("2024-03-10X12:34");
	expect_bad_ts("2024-03-10  12:34");
	expect_bad_ts("2024-03-10T24:00");
	expect_bad_ts("2024-03-10T12:60");
	expect_bad_ts("2024-03-10T12:34:61");
	expect_bad_ts("2024-03-10T12.34");
	expect_bad_ts("2024-03-10T12:34.5");   /* a fraction needs seconds */
	expect_bad_ts("2024-03-10T12:34:56.");  /* and a digit */
	expect_bad_ts("2024-03-10T12:34:56.Z");
	expect_bad_ts("2024-03-10T12:34:56ZZ");
	expect_bad_ts("2024-03-10T12:34:56Z ");
	expect_bad_ts("2024-03-10T12:34:56+3");
	expect_bad_ts("2024-03-10T12:34:56+03");
	expect_bad_ts("2024-03-10T12:34:56+03:");
	expect_bad_ts("2024-03-10T12:34:56+03:0");
	expect_bad_ts("2024-03-10T12:34:56+03:60");
	expect_bad_ts("2024-03-10T12:34:56+15:00");
	expect_bad_ts("2024-03-10T12:34:56+03:00junk");
	expect_bad_ts("2024-03-10Z");
	expect_bad_ts(" 2024-03-10");
}

static void test_ts_format(void **state)
{
	(void)state;
	char buf[21];
	assert_string_equal(rp_ts_format(0, buf), "1970-01-01T00:00:00Z");
	assert_string_equal(rp_ts_format(1700000000, buf), "2023-11-14T22:13:20Z");
	assert_string_equal(rp_ts_format(-1, buf), "1969-12-31T23:59:59Z");
	assert_string_equal(rp_ts_format(-86400, buf), "1969-12-31T00:00:00Z");
	assert_string_equal(rp_ts_format(-86401, buf), "1969-12-30T23:59:59Z");
	assert_string_equal(rp_ts_format(ts(2024, 2, 29, 23, 59, 59), buf), "2024-02-29T23:59:59Z");
	assert_string_equal(rp_ts_format(ts(1900, 3, 1, 6, 7, 8), buf), "1900-03-01T06:07:08Z");

	/* format then parse gives the same second, negative times included */
	for (int64_t t = -2208988800LL; t < 4102444800LL; t += 7777777 + 13) {
		int64_t back = 0;
		rp_ts_format(t, buf);
		assert_int_equal(strlen(buf), 20);
		if (rp_ts_parse(buf, &back) != 0 || back != t)
			fail_msg("%" PRId64 " -> %s -> %" PRId64, t, buf, back);
	}
}

/* ---- money ----------------------------------------------------------------- */

static void expect_money(const char *s, int64_t want)
{
	int64_t got = 777;
	if (rp_money_parse(s, &got) != 0)
		fail_msg("rp_money_parse(\"%s\") refused it", s);
	if (got != want)
		fail_msg("rp_money_parse(\"%s\") = %" PRId64 ", expected %" PRId64, s, got, want);
}

static void expect_bad_money(const char *s)
{
	int64_t got = 777;
	if (rp_money_parse(s, &got) != -1)
		fail_msg("rp_money_parse(\"%s\") accepted it as %" PRId64, s ? s : "(null)", got);
	assert_int_equal(got, 777);
}

static void test_money_parse(void **state)
{
	(void)state;
	expect_money("4500", 450000);
	expect_money("129.99", 12999);
	expect_money("129.9", 12990);
	expect_money("129.90", 12990);
	expect_money("-12.30", -1230);
	expect_money("-0.05", -5);
	expect_money("+7", 700);
	expect_money("1,5", 150);
	expect_money("1,05", 105);
	expect_money("0", 0);
	expect_money("007.10", 710);
	/* the largest sums still fit */
	expect_money("92233720368547749.99", 9223372036854774999LL);
	expect_money("-92233720368547749.99", -9223372036854774999LL);

	expect_bad_money(NULL);
	expect_bad_money("");
	expect_bad_money("abc");
	expect_bad_money("1.234");
	expect_bad_money("1,234");
	expect_bad_money("1.2345");
	expect_bad_money("1e3");
	expect_bad_money("1E3");
	expect_bad_money("1.");
	expect_bad_money(".5");
	expect_bad_money("-");
	expect_bad_money("+");
	expect_bad_money("--5");
	expect_bad_money("1 000");
	expect_bad_money("1,000.00");
	expect_bad_money(" 5");
	expect_bad_money("5 ");
	expect_bad_money("12.3a");
	expect_bad_money("0x10");
	expect_bad_money("1.-5");
	/* overflow */
	expect_bad_money("92233720368547758");
	expect_bad_money("92233720368547758.07");
	expect_bad_money("9223372036854775807");
	expect_bad_money("-9223372036854775808");
	expect_bad_money("99999999999999999999999999999");
}

static void test_money_format(void **state)
{
	(void)state;
	char buf[32];
	assert_string_equal(rp_money_format(0, buf), "0.00");
	assert_string_equal(rp_money_format(5, buf), "0.05");
	assert_string_equal(rp_money_format(-5, buf), "-0.05");
	assert_string_equal(rp_money_format(12990, buf), "129.90");
	assert_string_equal(rp_money_format(450000, buf), "4500.00");
	assert_string_equal(rp_money_format(-1230, buf), "-12.30");
	assert_string_equal(rp_money_format(INT64_MAX, buf), "92233720368547758.07");
	assert_string_equal(rp_money_format(INT64_MIN, buf), "-92233720368547758.08");

	static const int64_t vals[] = {0, 1, -1, 99, 100, -100, 101, 12345, -98765, 100000000,
				       9223372036854774999LL, -9223372036854774999LL};
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		int64_t back = 0;
		rp_money_format(vals[i], buf);
		if (rp_money_parse(buf, &back) != 0 || back != vals[i])
			fail_msg("%" PRId64 " -> %s -> %" PRId64, vals[i], buf, back);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_known_points),
		cmocka_unit_test(test_civil_walk),
		cmocka_unit_test(test_civil_wide_round_trip),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_date_parse_valid),
		cmocka_unit_test(test_date_parse_invalid),
		cmocka_unit_test(test_date_format),
		cmocka_unit_test(test_today_and_now),
		cmocka_unit_test(test_fixed_now),
		cmocka_unit_test(test_ts_parse_valid),
		cmocka_unit_test(test_ts_parse_invalid),
		cmocka_unit_test(test_ts_format),
		cmocka_unit_test(test_money_parse),
		cmocka_unit_test(test_money_format),
	};
	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
