// SPDX-License-Identifier: GPL-2.0
/*
 * json: results files read with json-c (strict: no NaN, no leading zeros,
 * nothing after the value), turned into the tree of json.h (see json.h)
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "lib/json.h"

static struct json *json_from(struct json_object *o, unsigned int flags,
			      int *ret);

/* @parent's members (an object) or elements (an array), in order */
static int json_children(struct json *parent, struct json_object *o,
			 unsigned int flags)
{
	struct json **tail = &parent->child;
	int ret = 0;

	if (json_object_is_type(o, json_type_array)) {
		size_t i, n = json_object_array_length(o);

		for (i = 0; i < n && !ret; i++) {
			*tail = json_from(json_object_array_get_idx(o, i),
					  flags, &ret);
			if (*tail)
				tail = &(*tail)->next;
		}
		return ret;
	}
	json_object_object_foreach(o, key, val)
	{
		if (ret)
			break;
		*tail = json_from(val, flags, &ret);
		if (!*tail)
			break;
		(*tail)->key = strdup(key);
		if (!(*tail)->key)
			ret = -ENOMEM;
		tail = &(*tail)->next;
	}
	return ret;
}

/* One node of the tree from json-c's @o; NULL with *@ret set on failure */
static struct json *json_from(struct json_object *o, unsigned int flags,
			      int *ret)
{
	struct json *j = calloc(1, sizeof(*j));
	int64_t i;

	if (!j) {
		*ret = -ENOMEM;
		return NULL;
	}
	switch (json_object_get_type(o)) {
	case json_type_null:
		j->type = JSON_NULL;
		break;
	case json_type_boolean:
		j->type = JSON_BOOL;
		j->num = json_object_get_boolean(o);
		break;
	case json_type_int:
		/* integers exact up to 2^64 - 1 (json_u64), as doubles too */
		j->type = JSON_NUMBER;
		i = json_object_get_int64(o);
		if (i < 0) {
			j->num = (double)i;
		} else {
			j->u64 = json_object_get_uint64(o);
			j->is_u64 = true;
			j->num = (double)j->u64;
		}
		break;
	case json_type_double:
		j->type = JSON_NUMBER;
		j->num = json_object_get_double(o);
		/* json-c reads NaN and Infinity even in strict mode */
		if (!isfinite(j->num) && !(flags & JSON_NONFINITE))
			*ret = -EDOM;
		break;
	case json_type_string:
		j->type = JSON_STRING;
		j->str = strndup(json_object_get_string(o),
				 json_object_get_string_len(o));
		if (!j->str)
			*ret = -ENOMEM;
		break;
	case json_type_array:
	case json_type_object:
		j->type = json_object_is_type(o, json_type_array) ? JSON_ARRAY :
								    JSON_OBJECT;
		*ret = json_children(j, o, flags);
		break;
	}
	return j;
}

/*
 * The offset of a quote character outside a string, or @len: json-c 0.16
 * takes 'single-quoted' strings even in strict mode
 */
static size_t json_single_quote(const char *text, size_t len)
{
	bool in_str = false;
	size_t i;

	for (i = 0; i < len; i++) {
		if (in_str && text[i] == '\\')
			i++;
		else if (text[i] == '"')
			in_str = !in_str;
		else if (!in_str && text[i] == '\'')
			return i;
	}
	return len;
}

static int json_parse_len(const char *text, size_t len, unsigned int flags,
			  struct json **out, char *err, size_t errlen)
{
	struct json_tokener *tok;
	struct json_object *o;
	size_t end;
	int ret = 0;

	*out = NULL;
	end = json_single_quote(text, len);
	if (end < len) {
		snprintf(err, errlen, "offset %zu: a single quote", end);
		return -EINVAL;
	}
	tok = json_tokener_new_ex(JSON_MAX_DEPTH);
	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (!o) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		snprintf(err, errlen, "offset %zu: %s", end,
			 e == json_tokener_continue ?
				 "unexpected end" :
				 json_tokener_error_desc(e));
		ret = -EINVAL;
	} else {
		while (end < len && strchr(" \t\r\n", text[end]) && text[end])
			end++;
		if (end < len) {
			snprintf(err, errlen, "offset %zu: %s", end,
				 text[end] ? "text after the value" :
					     "a NUL byte");
			ret = -EINVAL;
		}
	}
	if (!ret) {
		*out = json_from(o, flags, &ret);
		if (ret) {
			json_free(*out);
			*out = NULL;
			snprintf(err, errlen, "%s",
				 ret == -EDOM ? "NaN or Infinity (not JSON)" :
						strerror(-ret));
			if (ret == -EDOM)
				ret = -EINVAL;
		}
	}
	json_object_put(o);
	json_tokener_free(tok);
	return ret;
}

int json_parse(const char *text, struct json **out, char *err, size_t errlen)
{
	return json_parse_len(text, strlen(text), 0, out, err, errlen);
}

int json_parse_file(const char *path, struct json **out, char *err,
		    size_t errlen)
{
	return json_parse_file_flags(path, JSON_STRICT, out, err, errlen);
}

int json_parse_file_flags(const char *path, unsigned int flags,
			  struct json **out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;
	int ret;

	*out = NULL;
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
	if (!ret && len > INT32_MAX)
		ret = -EFBIG;
	if (!ret)
		ret = json_parse_len(buf, len, flags, out, err, errlen);
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

unsigned long long json_u64(const struct json *j, const char *key,
			    unsigned long long dflt)
{
	const struct json *v = json_get(j, key);

	return v && v->type == JSON_NUMBER && v->is_u64 ? v->u64 : dflt;
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
