/*
** bench/openloop URL TOKEN MIX RATE SECONDS CONNECTIONS MAXID TAG: an
** open-loop load, as wrk2 makes it.  Request i is due at start + i/RATE,
** whatever became of the ones before; it goes out on the first free
** keep-alive connection (of CONNECTIONS, to URL, http://HOST:PORT), and its
** latency runs from the moment it was due, not from when it could be sent.
** A closed-loop tool (wrk) sends the next request only when an answer came
** back, so a server that stalls is asked less and the stall hides from its
** percentiles (coordinated omission); here a stall delays every request
** due meanwhile, and each of them counts it.
**
** MIX is the workload (tests/soak/mix.txt, which tests/soak/mixed.lua reads
** for wrk too), one request a line: NAME WEIGHT METHOD PATH [JSON BODY],
** where {id} is a contact id drawn from 1..MAXID and {n} TAG and a number
** of the request's own.  Every request carries "Authorization: Bearer TOKEN".
** After the last request is due the answers are awaited (10 s at most).
**
** Prints, for tests/soak/run.sh:
**   openloop sent N answered N errors N non2xx N socket N unanswered N
**     (errors: the sum of non-2xx answers, requests lost with their
**     connection or connections refused, and requests never answered)
**   openloop rate R achieved R p50 MS p90 MS p99 MS p999 MS max MS
**   openloop acked NAME N ...   (2xx answers of each line of MIX)
*/
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"

#define MAXLINES 32

typedef struct line {
	char name[32], method[8];
	char *path, *body; /* body NULL: none */
	int weight;
	long acked;
} line;

enum { IDLE, BUSY, DOWN };

typedef struct conn {
	int fd, state, line;
	double due; /* ms, when the request in flight was due */
	char *out;
	size_t outlen, outoff;
	char *in;
	size_t inlen, incap;
} conn;

static line lines[MAXLINES];
static int nlines, total_weight;
static struct sockaddr_in addr;
static const char *token, *tag;
static long maxid;
static unsigned long long seq;
static int ep;

static void die(const char *what)
{
	fprintf(stderr, "bench/openloop: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void read_mix(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die(path);
	char buf[2048];
	while (fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\r\n")] = 0;
		char *s = buf + strspn(buf, " \t");
		if (!*s || *s == '#')
			continue;
		if (nlines == MAXLINES) {
			fprintf(stderr, "bench/openloop: %s: more than %d requests\n", path, MAXLINES);
			exit(2);
		}
		line *l = &lines[nlines];
		char path_[1024];
		int used = 0;
		if (sscanf(s, "%31s %d %7s %1023s %n", l->name, &l->weight, l->method, path_, &used) < 4 ||
		    l->weight < 0) {
			fprintf(stderr, "bench/openloop: %s: not NAME WEIGHT METHOD PATH [BODY]: %s\n", path, s);
			exit(2);
		}
		l->path = strdup(path_);
		l->body = s[used] ? strdup(s + used) : NULL;
		total_weight += l->weight;
		nlines++;
	}
	fclose(f);
	if (!total_weight) {
		fprintf(stderr, "bench/openloop: %s: no request with a weight\n", path);
		exit(2);
	}
}

/* The text t with {id} and {n} filled in, appended to b. */
static size_t fill(char *b, size_t cap, const char *t, long id, unsigned long long n)
{
	size_t k = 0;
	while (*t && k + 64 < cap) {
		if (!strncmp(t, "{id}", 4)) {
			k += (size_t)snprintf(b + k, cap - k, "%ld", id);
			t += 4;
		} else if (!strncmp(t, "{n}", 3)) {
			k += (size_t)snprintf(b + k, cap - k, "%s-%llu", tag, n);
			t += 3;
		} else {
			b[k++] = *t++;
		}
	}
	b[k] = 0;
	return k;
}

/* The next request of the mix, into c->out; its line in c->line. */
static void make_request(conn *c)
{
	int w = rand() % total_weight, i = 0;
	while (w >= lines[i].weight)
		w -= lines[i++].weight;
	line *l = &lines[i];
	long id = 1 + (long)(((unsigned long)rand() << 16 ^ (unsigned long)rand()) % (unsigned long)maxid);
	unsigned long long n = ++seq;
	char path[1200], body[1200];
	fill(path, sizeof path, l->path, id, n);
	size_t blen = l->body ? fill(body, sizeof body, l->body, id, n) : 0;
	free(c->out);
	c->out = malloc(4096);
	if (!c->out)
		die("malloc");
	int len = snprintf(c->out, 4096,
			   "%s %s HTTP/1.1\r\nHost: openloop\r\nAuthorization: Bearer %s\r\n%s"
			   "Content-Length: %zu\r\n\r\n%s",
			   l->method, path, token, blen ? "Content-Type: application/json\r\n" : "", blen,
			   blen ? body : "");
	c->outlen = (size_t)len;
	c->outoff = 0;
	c->line = i;
}

static int open_conn(conn *c)
{
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		die("socket");
	int one = 1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(c->fd, (struct sockaddr *)&addr, sizeof addr) && errno != EINPROGRESS) {
		close(c->fd);
		c->fd = -1;
		c->state = DOWN;
		return -1;
	}
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = c};
	if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev))
		die("epoll_ctl");
	c->state = IDLE;
	c->inlen = 0;
	return 0;
}

static void close_conn(conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->state = DOWN;
}

/* Requests whose connection failed under them, and connections that
** could not be made. */
static long lost, connect_errors;

static void flush_out(conn *c)
{
	while (c->outoff < c->outlen) {
		ssize_t k = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);
		if (k > 0) {
			c->outoff += (size_t)k;
		} else if (k < 0 && (errno == EAGAIN || errno == EINTR)) {
			return;
		} else {
			lost++;
			close_conn(c);
			return;
		}
	}
}

/* Whether c->in holds a whole answer; its status, and whether the server
** will close the connection, if so. */
static int whole_answer(conn *c, int *status, int *closing)
{
	if (c->inlen < 12)
		return 0;
	char *end = memmem(c->in, c->inlen, "\r\n\r\n", 4);
	if (!end)
		return 0;
	size_t head = (size_t)(end - c->in) + 4, clen = 0;
	*status = atoi(c->in + 9);
	*closing = 0;
	for (char *p = c->in; p < end; p++) {
		if (p[0] != '\n')
			continue;
		if (!strncasecmp(p + 1, "Content-Length:", 15))
			clen = strtoull(p + 16, NULL, 10);
		else if (!strncasecmp(p + 1, "Connection: close", 17))
			*closing = 1;
	}
	if (c->inlen < head + clen)
		return 0;
	/* One request at a time on a connection: nothing may follow. */
	c->inlen = 0;
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 9) {
		fprintf(stderr, "usage: bench/openloop http://HOST:PORT TOKEN MIX RATE SECONDS CONNECTIONS MAXID TAG\n");
		return 2;
	}
	const char *url = argv[1];
	token = argv[2];
	double rate = atof(argv[4]), seconds = atof(argv[5]);
	int nconn = atoi(argv[6]);
	maxid = atol(argv[7]);
	tag = argv[8];
	char host[64];
	int port;
	if (sscanf(url, "http://%63[^:]:%d", host, &port) != 2 || inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		fprintf(stderr, "bench/openloop: %s is not http://IPV4:PORT\n", url);
		return 2;
	}
	if (rate <= 0 || seconds <= 0 || nconn < 1 || nconn > 10000 || maxid < 1) {
		fprintf(stderr, "bench/openloop: RATE, SECONDS, CONNECTIONS and MAXID are positive numbers\n");
		return 2;
	}
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	read_mix(argv[3]);
	srand(12345);
	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		die("epoll_create1");

	long total = (long)(rate * seconds);
	double *lat = malloc(sizeof *lat * (size_t)(total ? total : 1));
	conn *cs = calloc((size_t)nconn, sizeof *cs);
	if (!lat || !cs)
		die("malloc");
	long non2xx = 0, answered = 0, sent = 0;
	for (int i = 0; i < nconn; i++) {
		cs[i].fd = -1;
		if (open_conn(&cs[i]))
			connect_errors++;
	}
	double start = now_ms(), interval = 1000.0 / rate, drain_until = -1;
	struct epoll_event evs[256];
	int next_free = 0;
	for (;;) {
		double now = now_ms();
		/* Every request now due goes out on a free connection; those
		** that find none wait, their clocks running. */
		while (sent < total && start + (double)sent * interval <= now) {
			conn *c = NULL;
			for (int k = 0; k < nconn && !c; k++) {
				conn *d = &cs[(next_free + k) % nconn];
				if (d->state == DOWN && open_conn(d))
					connect_errors++;
				if (d->state == IDLE) {
					c = d;
					next_free = (int)(d - cs + 1) % nconn;
				}
			}
			if (!c)
				break;
			make_request(c);
			c->due = start + (double)sent * interval;
			c->state = BUSY;
			sent++;
			flush_out(c);
		}
		int busy = 0;
		for (int k = 0; k < nconn; k++)
			busy += cs[k].state == BUSY;
		if (sent == total && !busy)
			break;
		if (sent == total && drain_until < 0)
			drain_until = now + 10000;
		if (drain_until >= 0 && now > drain_until)
			break;
		double wait = sent < total ? start + (double)sent * interval - now : 50;
		int n = epoll_wait(ep, evs, 256, wait <= 0 ? 0 : (int)wait + 1);
		if (n < 0 && errno != EINTR)
			die("epoll_wait");
		for (int k = 0; k < n; k++) {
			conn *c = evs[k].data.ptr;
			if (c->state == DOWN)
				continue;
			if (c->state == BUSY && c->outoff < c->outlen)
				flush_out(c);
			for (;;) {
				if (c->state == DOWN)
					break;
				if (c->incap - c->inlen < 4096) {
					c->incap = c->incap ? c->incap * 2 : 65536;
					if (!(c->in = realloc(c->in, c->incap)))
						die("realloc");
				}
				ssize_t r = recv(c->fd, c->in + c->inlen, c->incap - c->inlen, 0);
				if (r < 0 && (errno == EAGAIN || errno == EINTR))
					break;
				if (r <= 0) {
					/* Closed: a failure if an answer was awaited. */
					if (c->state == BUSY)
						lost++;
					close_conn(c);
					break;
				}
				c->inlen += (size_t)r;
				int status, closing;
				if (c->state == BUSY && whole_answer(c, &status, &closing)) {
					lat[answered++] = now_ms() - c->due;
					if (status >= 200 && status < 300)
						lines[c->line].acked++;
					else
						non2xx++;
					c->state = IDLE;
					if (closing)
						close_conn(c);
				}
			}
		}
	}
	double took = (now_ms() - start) / 1000.0;
	long unanswered = sent - answered - lost;
	qsort(lat, (size_t)answered, sizeof *lat, cmp);
#define PCT(p) (answered ? lat[(size_t)((double)(answered - 1) * (p))] : 0.0)
	printf("openloop sent %ld answered %ld errors %ld non2xx %ld socket %ld unanswered %ld\n", sent, answered,
	       non2xx + lost + connect_errors + unanswered, non2xx, lost + connect_errors, unanswered);
	printf("openloop rate %.0f achieved %.1f p50 %.2f p90 %.2f p99 %.2f p999 %.2f max %.2f\n", rate,
	       (double)answered / took, PCT(0.50), PCT(0.90), PCT(0.99), PCT(0.999), PCT(1.0));
	printf("openloop acked");
	for (int i = 0; i < nlines; i++)
		printf(" %s %ld", lines[i].name, lines[i].acked);
	printf("\n");
	return 0;
}
