// SPDX-License-Identifier: GPL-2.0
/* json: a small JSON reader and string writer (see json.h) */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"

struct json_parser {
	const char *s, *start;
	char *err;
	size_t errlen;
	int ret;
};

static struct json *json_fail(struct json_parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (p->ret)
		return NULL;
	p->ret = -EINVAL;
	n = snprintf(p->err, p->errlen, "offset %td: ", p->s - p->start);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return NULL;
}

static void json_ws(struct json_parser *p)
{
	while (isspace((unsigned char)*p->s))
		p->s++;
}

static struct json *json_new(struct json_parser *p, enum json_type type)
{
	struct json *j = calloc(1, sizeof(*j));

	if (!j && !p->ret)
		p->ret = -ENOMEM;
	if (j)
		j->type = type;
	return j;
}

static char *json_string(struct json_parser *p)
{
	size_t cap = 16, len = 0;
	char *buf = malloc(cap);

	p->s++; /* the opening quote */
	while (buf && *p->s != '"') {
		char c = *p->s++;

		if (!c || (unsigned char)c < 0x20) {
			free(buf);
			json_fail(p, "unterminated string");
			return NULL;
		}
		if (c == '\\') {
			c = *p->s++;
			switch (c) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case 'r':
				c = '\r';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'u': {
				unsigned int u;

				if (sscanf(p->s, "%4x", &u) != 1) {
					free(buf);
					json_fail(p, "bad \\u escape");
					return NULL;
				}
				p->s += 4;
				c = u < 0x80 ? (char)u : '?';
				break;
			}
			case '"':
			case '\\':
			case '/':
				break;
			default:
				free(buf);
				json_fail(p, "bad escape");
				return NULL;
			}
		}
		if (len + 2 > cap) {
			char *n = realloc(buf, cap *= 2);

			if (!n)
				free(buf);
			buf = n;
			if (!buf)
				break;
		}
		buf[len++] = c;
	}
	if (!buf) {
		p->ret = -ENOMEM;
		return NULL;
	}
	buf[len] = '\0';
	p->s++;
	return buf;
}

static struct json *json_value(struct json_parser *p, unsigned int depth);

static struct json *json_container(struct json_parser *p, unsigned int depth,
				   bool object)
{
	struct json *j = json_new(p, object ? JSON_OBJECT : JSON_ARRAY);
	struct json **tail = j ? &j->child : NULL;
	char close = object ? '}' : ']';

	if (!j)
		return NULL;
	p->s++;
	json_ws(p);
	if (*p->s == close) {
		p->s++;
		return j;
	}
	for (;;) {
		char *key = NULL;
		struct json *v;

		json_ws(p);
		if (object) {
			if (*p->s != '"' || !(key = json_string(p)))
				break;
			json_ws(p);
			if (*p->s++ != ':') {
				free(key);
				json_fail(p, "expected ':'");
				break;
			}
		}
		v = json_value(p, depth + 1);
		if (!v) {
			free(key);
			break;
		}
		v->key = key;
		*tail = v;
		tail = &v->next;
		json_ws(p);
		if (*p->s == ',') {
			p->s++;
			continue;
		}
		if (*p->s == close) {
			p->s++;
			return j;
		}
		break;
	}
	json_fail(p, "expected ',' or '%c'", close);
	json_free(j);
	return NULL;
}

static struct json *json_value(struct json_parser *p, unsigned int depth)
{
	struct json *j;
	char *end;

	if (depth > JSON_MAX_DEPTH)
		return json_fail(p, "nested deeper than %d", JSON_MAX_DEPTH);
	json_ws(p);
	switch (*p->s) {
	case '{':
		return json_container(p, depth, true);
	case '[':
		return json_container(p, depth, false);
	case '"':
		j = json_new(p, JSON_STRING);
		if (j && !(j->str = json_string(p))) {
			free(j);
			return NULL;
		}
		return j;
	case 't':
	case 'f':
	case 'n': {
		static const struct {
			const char *word;
			enum json_type type;
			double num;
		} words[] = { { "true", JSON_BOOL, 1 },
			      { "false", JSON_BOOL, 0 },
			      { "null", JSON_NULL, 0 } };
		unsigned int i;

		for (i = 0; i < 3; i++) {
			size_t n = strlen(words[i].word);

			if (strncmp(p->s, words[i].word, n))
				continue;
			p->s += n;
			j = json_new(p, words[i].type);
			if (j)
				j->num = words[i].num;
			return j;
		}
		return json_fail(p, "unknown literal");
	}
	default:
		j = json_new(p, JSON_NUMBER);
		if (!j)
			return NULL;
		j->num = strtod(p->s, &end);
		if (end == p->s) {
			free(j);
			return json_fail(p, "unexpected character '%c'", *p->s);
		}
		p->s = end;
		return j;
	}
}

int json_parse(const char *text, struct json **out, char *err, size_t errlen)
{
	struct json_parser p = {
		.s = text, .start = text, .err = err, .errlen = errlen
	};
	struct json *j = json_value(&p, 0);

	if (j) {
		json_ws(&p);
		if (*p.s) {
			json_fail(&p, "trailing characters");
			json_free(j);
			j = NULL;
		}
	}
	if (!j)
		return p.ret ? p.ret : -EINVAL;
	*out = j;
	return 0;
}

int json_parse_file(const char *path, struct json **out, char *err,
		    size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;
	int ret;

	if (!f)
		return -errno;
	do {
		if (len + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap * 2 + 8192);

			if (!nb) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n);
	ret = ferror(f) ? -EIO : 0;
	fclose(f);
	if (!ret) {
		buf[len] = '\0';
		ret = json_parse(buf, out, err, errlen);
	}
	free(buf);
	return ret;
}

void json_free(struct json *j)
{
	while (j) {
		struct json *next = j->next;

		json_free(j->child);
		free(j->str);
		free(j->key);
		free(j);
		j = next;
	}
}

const struct json *json_get(const struct json *j, const char *key)
{
	const struct json *c;

	if (!j || j->type != JSON_OBJECT)
		return NULL;
	for (c = j->child; c; c = c->next)
		if (!strcmp(c->key, key))
			return c;
	return NULL;
}

double json_num(const struct json *j, const char *key, double dflt)
{
	const struct json *v = json_get(j, key);

	return v && (v->type == JSON_NUMBER || v->type == JSON_BOOL) ? v->num :
								       dflt;
}

const char *json_str(const struct json *j, const char *key, const char *dflt)
{
	const struct json *v = json_get(j, key);

	return v && v->type == JSON_STRING ? v->str : dflt;
}

void json_write_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}
