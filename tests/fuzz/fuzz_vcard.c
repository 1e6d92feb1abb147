/* libFuzzer target: the vCard reader on any bytes, fed in two chunks split
** where the input says, every value of every card split and unescaped, and
** the writer folding it back.  Built by 'make fuzz-vcard'. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/vcard.h"

static int on_card(void *ctx, const vcard *c, rp_err *e)
{
	(void)ctx;
	(void)e;
	rp_buf out = {0};
	for (size_t i = 0; i < c->n; i++) {
		char *parts[8];
		int n = vcard_split(c->prop[i].value, ';', parts, 8);
		for (int k = 0; k < n; k++) {
			rp_buf esc = {0};
			vcard_escape(&esc, parts[k]);
			vcard_line(&out, c->prop[i].name, esc.p ? esc.p : "");
			rp_buf_free(&esc);
		}
		vcard_free_parts(parts, n);
		vcard_has_type(&c->prop[i], "cell");
	}
	vcard_get(c, "FN");
	rp_buf_free(&out);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t cut = data[0] % (size);
	const char *s = (const char *)data + 1;
	size--;
	if (cut > size)
		cut = size;
	rp_err e;
	vcard_reader *r = vcard_reader_new(on_card, NULL);
	if (!r)
		return 0;
	if (!vcard_reader_feed(r, s, cut, &e) && !vcard_reader_feed(r, s + cut, size - cut, &e))
		vcard_reader_finish(r, &e);
	vcard_reader_free(r);
	return 0;
}
