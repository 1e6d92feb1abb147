/* Dates, timestamps and money as they come in CSV files, query strings and
** JSON bodies: rp_date_parse, rp_ts_parse, rp_money_parse.  What parses
** must format back and parse again to the same value. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	char *s = fuzz_str(data, n);
	rp_date d;
	char buf[32];
	for (int noyear = 0; noyear < 2; noyear++)
		if (!rp_date_parse(s, noyear, &d)) {
			rp_date again;
			if (rp_date_parse(rp_date_format(d, buf), 1, &again) || again.y != d.y || again.m != d.m ||
			    again.d != d.d)
				abort();
		}
	int64_t t;
	if (!rp_ts_parse(s, &t)) {
		int64_t again;
		/* years past 9999 have no ISO form of four digits */
		if (t >= -62135596800LL && t < 253402300800LL &&
		    (rp_ts_parse(rp_ts_format(t, buf), &again) || again != t))
			abort();
	}
	int64_t m;
	if (!rp_money_parse(s, &m)) {
		int64_t again;
		if (rp_money_parse(rp_money_format(m, buf), &again) || again != m)
			abort();
	}
	free(s);
	return 0;
}
