#include "util/idmap.h"

#include <stdlib.h>
#include <string.h>

static size_t slot(int64_t id, size_t cap)
{
	return (size_t)(((uint64_t)id * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

int64_t *rp_idmap_get(const rp_idmap *m, int64_t id)
{
	if (!m->cap || id <= 0)
		return NULL;
	for (size_t j = slot(id, m->cap);; j = (j + 1) & (m->cap - 1)) {
		if (m->key[j] == id)
			return &m->val[j];
		if (!m->key[j])
			return NULL;
	}
}

static int grow(rp_idmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 256;
	int64_t *key = calloc(cap, sizeof *key), *val = malloc(cap * sizeof *val);
	if (!key || !val) {
		free(key);
		free(val);
		return -1;
	}
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->key[i])
			continue;
		size_t j = slot(m->key[i], cap);
		while (key[j])
			j = (j + 1) & (cap - 1);
		key[j] = m->key[i];
		val[j] = m->val[i];
	}
	free(m->key);
	free(m->val);
	m->key = key;
	m->val = val;
	m->cap = cap;
	return 0;
}

int64_t *rp_idmap_put(rp_idmap *m, int64_t id, int64_t v, int *added)
{
	if (added)
		*added = 0;
	if (id <= 0)
		return NULL;
	if ((m->n + 1) * 2 > m->cap && grow(m))
		return NULL;
	size_t j = slot(id, m->cap);
	for (; m->key[j]; j = (j + 1) & (m->cap - 1))
		if (m->key[j] == id)
			return &m->val[j];
	m->key[j] = id;
	m->val[j] = v;
	m->n++;
	if (added)
		*added = 1;
	return &m->val[j];
}

void rp_idmap_clear(rp_idmap *m)
{
	if (m->cap)
		memset(m->key, 0, m->cap * sizeof *m->key);
	m->n = 0;
}

void rp_idmap_free(rp_idmap *m)
{
	free(m->key);
	free(m->val);
	memset(m, 0, sizeof *m);
}
