// SPDX-License-Identifier: GPL-2.0
/* sim_fault: fault plans (see fault.h) */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>

#include "fault.h"
#include "rng.h"

struct sim_fault_rule {
	u32 sid; /* a drop rule's */
	bool illegal; /* an illegal rule (no SID) */
	double prob;
	u64 from_ns;
	u64 to_ns;
	u64 rng;
	unsigned int line;
};

struct sim_fault_event {
	u64 at_ns;
	u32 sid;
	enum sim_dev_state state;
	u64 delay_ns;
	unsigned int order;
};

struct sim_fault_plan {
	u64 seed;
	bool has_seed;
	struct sim_fault_rule *rules;
	size_t num_rules;
	size_t num_illegal; /* of them, illegal rules */
	struct sim_fault_event *events;
	size_t num_events;
	size_t next_event;
	u64 t0_ns;
	spinlock_t lock;
};

__attribute__((format(printf, 4, 5))) static int
sim_fault_error(char *err, size_t errlen, unsigned int line, const char *fmt,
		...)
{
	va_list ap;
	int n;

	n = snprintf(err, errlen, "line %u: ", line);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - n, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int sim_fault_parse_u64(const char *s, u64 max, u64 *val)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*val = strtoull(s, &end, 10);
	if (*end || errno || *val > max)
		return -EINVAL;
	return 0;
}

/* "5ms" -> 5000000 */
static int sim_fault_parse_time(const char *s, u64 *ns)
{
	static const struct {
		const char *unit;
		u64 mult;
	} units[] = {
		{ "ns", 1 },
		{ "us", 1000 },
		{ "ms", 1000000 },
		{ "s", 1000000000 },
	};
	unsigned int i;
	char *end;
	u64 v;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(units); i++) {
		if (!strcmp(end, units[i].unit)) {
			if (v > SIM_FAULT_MAX_TIME_NS / units[i].mult)
				return -ERANGE;
			*ns = v * units[i].mult;
			return 0;
		}
	}
	return -EINVAL;
}

static int sim_fault_parse_prob(const char *s, double *p)
{
	char *end;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	*p = strtod(s, &end);
	if (*end || errno || !(*p >= 0.0 && *p <= 1.0))
		return -EINVAL;
	return 0;
}

#define SIM_FAULT_MAX_TOKENS 12

static int sim_fault_split(char *line, char **tok)
{
	char *save, *t;
	int n = 0;

	for (t = strtok_r(line, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == SIM_FAULT_MAX_TOKENS)
			return -E2BIG;
		tok[n++] = t;
	}
	return n;
}

static int sim_fault_add_event(struct sim_fault_plan *plan,
			       const struct sim_fault_event *ev)
{
	if (plan->num_events == SIM_FAULT_MAX_STATEMENTS * 2)
		return -E2BIG;
	plan->events[plan->num_events] = *ev;
	plan->events[plan->num_events].order = plan->num_events;
	plan->num_events++;
	return 0;
}

/*
 * drop SID PROB [from T1 to T2], or (@illegal) illegal PROB [from T1 to T2]:
 * the same rule without the SID
 */
static int sim_fault_parse_rule(struct sim_fault_plan *plan, char **tok, int n,
				bool illegal, unsigned int line, char *err,
				size_t errlen)
{
	struct sim_fault_rule r = { .illegal = illegal,
				    .to_ns = U64_MAX,
				    .line = line };
	const char *usage = illegal ? "expected: illegal PROB [from T1 to T2]" :
				      "expected: drop SID PROB [from T1 to T2]";
	u64 sid = 0;

	/* the words after the statement's name, from the probability on */
	if (!illegal) {
		if (n < 2)
			return sim_fault_error(err, errlen, line, "%s", usage);
		if (sim_fault_parse_u64(tok[1], U32_MAX, &sid))
			return sim_fault_error(err, errlen, line,
					       "bad SID '%s'", tok[1]);
		tok++;
		n--;
	}
	if (n != 2 && n != 6)
		return sim_fault_error(err, errlen, line, "%s", usage);
	if (sim_fault_parse_prob(tok[1], &r.prob))
		return sim_fault_error(err, errlen, line,
				       "bad probability '%s' (0 to 1)", tok[1]);
	if (n == 6) {
		if (strcmp(tok[2], "from") || strcmp(tok[4], "to"))
			return sim_fault_error(err, errlen, line,
					       "expected: from T1 to T2");
		if (sim_fault_parse_time(tok[3], &r.from_ns) ||
		    sim_fault_parse_time(tok[5], &r.to_ns))
			return sim_fault_error(
				err, errlen, line,
				"bad time (e.g. 5ms; units ns us ms s; at most one day)");
		if (r.from_ns >= r.to_ns)
			return sim_fault_error(
				err, errlen, line,
				"empty window: %s is not before %s", tok[3],
				tok[5]);
	}
	r.sid = sid;
	if (plan->num_rules == SIM_FAULT_MAX_STATEMENTS)
		return sim_fault_error(err, errlen, line,
				       "more than %d drop and illegal rules",
				       SIM_FAULT_MAX_STATEMENTS);
	plan->rules[plan->num_rules++] = r;
	plan->num_illegal += illegal;
	return 0;
}

/* at T SID STATE [DELAY] [for D] */
static int sim_fault_parse_at(struct sim_fault_plan *plan, char **tok, int n,
			      unsigned int line, char *err, size_t errlen)
{
	struct sim_fault_event ev = { 0 };
	u64 sid, dur;
	int i = 4;

	if (n < 4)
		return sim_fault_error(
			err, errlen, line,
			"expected: at T SID STATE [DELAY] [for D]");
	if (sim_fault_parse_time(tok[1], &ev.at_ns))
		return sim_fault_error(
			err, errlen, line,
			"bad time '%s' (e.g. 5ms; units ns us ms s; at most one day)",
			tok[1]);
	if (sim_fault_parse_u64(tok[2], U32_MAX, &sid))
		return sim_fault_error(err, errlen, line, "bad SID '%s'",
				       tok[2]);
	ev.sid = sid;
	if (sim_dev_parse_state(tok[3], &ev.state))
		return sim_fault_error(
			err, errlen, line,
			"unknown state '%s' (responsive unresponsive slow resetting surprise-reset)",
			tok[3]);
	if (ev.state == SIM_DEV_SLOW) {
		if (n < 5 || sim_fault_parse_time(tok[4], &ev.delay_ns) ||
		    ev.delay_ns > SIM_DEV_MAX_DELAY_NS)
			return sim_fault_error(
				err, errlen, line,
				"slow needs a delay (e.g. slow 2ms, at most 1 hour)");
		i = 5;
	}
	if (n != i && n != i + 2)
		return sim_fault_error(err, errlen, line, "unexpected '%s'",
				       tok[i]);
	if (sim_fault_add_event(plan, &ev))
		return sim_fault_error(err, errlen, line, "too many events");
	if (n == i + 2) {
		if (strcmp(tok[i], "for") ||
		    sim_fault_parse_time(tok[i + 1], &dur) || !dur)
			return sim_fault_error(
				err, errlen, line,
				"expected: for DURATION (e.g. for 20ms)");
		ev.at_ns += dur;
		ev.state = SIM_DEV_RESPONSIVE;
		ev.delay_ns = 0;
		if (sim_fault_add_event(plan, &ev))
			return sim_fault_error(err, errlen, line,
					       "too many events");
	}
	return 0;
}

static int sim_fault_event_cmp(const void *a, const void *b)
{
	const struct sim_fault_event *l = a, *r = b;

	if (l->at_ns != r->at_ns)
		return l->at_ns < r->at_ns ? -1 : 1;
	return cmp_int(l->order, r->order);
}

int sim_fault_parse(const char *text, u64 seed, struct sim_fault_plan **out,
		    char *err, size_t errlen)
{
	struct sim_fault_plan *plan;
	unsigned int lineno = 0;
	const char *p = text;
	size_t i;
	int ret = 0;

	plan = calloc(1, sizeof(*plan));
	if (!plan)
		return -ENOMEM;
	plan->rules = calloc(SIM_FAULT_MAX_STATEMENTS, sizeof(*plan->rules));
	plan->events =
		calloc(SIM_FAULT_MAX_STATEMENTS * 2, sizeof(*plan->events));
	if (!plan->rules || !plan->events) {
		sim_fault_free(plan);
		return -ENOMEM;
	}
	spin_lock_init(&plan->lock);
	plan->seed = seed;

	while (*p && !ret) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[SIM_FAULT_MAX_LINE + 1], *tok[SIM_FAULT_MAX_TOKENS];
		char *hash;
		int n;

		lineno++;
		if (len > SIM_FAULT_MAX_LINE) {
			ret = sim_fault_error(err, errlen, lineno,
					      "longer than %d bytes",
					      SIM_FAULT_MAX_LINE);
			break;
		}
		memcpy(line, p, len);
		line[len] = '\0';
		p = nl ? nl + 1 : p + len;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		n = sim_fault_split(line, tok);
		if (n < 0)
			ret = sim_fault_error(err, errlen, lineno,
					      "too many words");
		else if (!n)
			continue;
		else if (!strcmp(tok[0], "seed"))
			ret = n == 2 && !sim_fault_parse_u64(tok[1], U64_MAX,
							     &plan->seed) ?
				      0 :
				      sim_fault_error(err, errlen, lineno,
						      "expected: seed N");
		else if (!strcmp(tok[0], "drop") || !strcmp(tok[0], "illegal"))
			ret = sim_fault_parse_rule(plan, tok, n,
						   tok[0][0] == 'i', lineno,
						   err, errlen);
		else if (!strcmp(tok[0], "at"))
			ret = sim_fault_parse_at(plan, tok, n, lineno, err,
						 errlen);
		else
			ret = sim_fault_error(
				err, errlen, lineno,
				"unknown statement '%s' (seed drop illegal at)",
				tok[0]);
	}
	if (ret) {
		sim_fault_free(plan);
		return ret;
	}

	qsort(plan->events, plan->num_events, sizeof(*plan->events),
	      sim_fault_event_cmp);
	for (i = 0; i < plan->num_rules; i++)
		plan->rules[i].rng = sim_rng_mix(
			plan->seed ^ sim_rng_mix(plan->rules[i].line));
	*out = plan;
	return 0;
}

int sim_fault_parse_file(const char *path, u64 seed,
			 struct sim_fault_plan **out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text;
	long len;
	int ret;

	if (!f)
		return -errno;
	if (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return -EIO;
	}
	if (len > (long)SIM_FAULT_MAX_STATEMENTS * SIM_FAULT_MAX_LINE) {
		fclose(f);
		return -EFBIG;
	}
	text = calloc(1, len + 1);
	if (!text) {
		fclose(f);
		return -ENOMEM;
	}
	if (fread(text, 1, len, f) != (size_t)len) {
		free(text);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	ret = sim_fault_parse(text, seed, out, err, errlen);
	free(text);
	return ret;
}

void sim_fault_free(struct sim_fault_plan *plan)
{
	if (!plan)
		return;
	free(plan->rules);
	free(plan->events);
	free(plan);
}

u64 sim_fault_seed(const struct sim_fault_plan *plan)
{
	return plan->seed;
}

void sim_fault_start(struct sim_fault_plan *plan, u64 t0_ns)
{
	unsigned long flags;
	size_t i;

	spin_lock_irqsave(&plan->lock, flags);
	plan->t0_ns = t0_ns;
	plan->next_event = 0;
	for (i = 0; i < plan->num_rules; i++)
		plan->rules[i].rng = sim_rng_mix(
			plan->seed ^ sim_rng_mix(plan->rules[i].line));
	spin_unlock_irqrestore(&plan->lock, flags);
}

void sim_fault_tick(struct sim_fault_plan *plan, u64 now_ns,
		    sim_fault_apply_fn apply, void *arg)
{
	unsigned long flags;

	if (__atomic_load_n(&plan->next_event, __ATOMIC_RELAXED) ==
	    plan->num_events)
		return;
	spin_lock_irqsave(&plan->lock, flags);
	while (plan->next_event < plan->num_events &&
	       plan->t0_ns + plan->events[plan->next_event].at_ns <= now_ns) {
		const struct sim_fault_event *ev =
			&plan->events[plan->next_event];

		apply(arg, ev->sid, ev->state, ev->delay_ns);
		__atomic_store_n(&plan->next_event, plan->next_event + 1,
				 __ATOMIC_RELAXED);
	}
	spin_unlock_irqrestore(&plan->lock, flags);
}

/* Whether a rule of @illegal's kind (for @sid) fires at @now_ns */
static bool sim_fault_draw(struct sim_fault_plan *plan, bool illegal, u32 sid,
			   u64 now_ns)
{
	u64 t = now_ns - plan->t0_ns;
	unsigned long flags;
	bool fire = false;
	size_t i;

	spin_lock_irqsave(&plan->lock, flags);
	for (i = 0; i < plan->num_rules; i++) {
		struct sim_fault_rule *r = &plan->rules[i];

		if (r->illegal != illegal || r->sid != sid || t < r->from_ns ||
		    t >= r->to_ns)
			continue;
		/* Every matching rule draws, so draws do not depend on order */
		if (sim_rng_uniform(&r->rng) < r->prob)
			fire = true;
	}
	spin_unlock_irqrestore(&plan->lock, flags);
	return fire;
}

bool sim_fault_drop(struct sim_fault_plan *plan, u32 sid, u64 now_ns)
{
	return plan->num_rules > plan->num_illegal &&
	       sim_fault_draw(plan, false, sid, now_ns);
}

bool sim_fault_has_illegal(const struct sim_fault_plan *plan)
{
	return plan->num_illegal;
}

bool sim_fault_illegal(struct sim_fault_plan *plan, u64 now_ns)
{
	return plan->num_illegal && sim_fault_draw(plan, true, 0, now_ns);
}

size_t sim_fault_sids(const struct sim_fault_plan *plan, u32 *sids, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < plan->num_rules && n < max; i++)
		if (!plan->rules[i].illegal)
			sids[n++] = plan->rules[i].sid;
	for (i = 0; i < plan->num_events && n < max; i++)
		sids[n++] = plan->events[i].sid;
	return n;
}
