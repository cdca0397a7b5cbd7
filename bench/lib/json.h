/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json: the JSON the harness reads back (its own results, compare's and
 * report's input), parsed by json-c in strict mode as RFC 8259 says (no
 * NaN or Infinity, no leading zeros, no trailing text, no NUL byte) and
 * turned into a small tree with lookups; and a string writer.  Numbers
 * are doubles, and non-negative integers are also exact up to 2^64 - 1
 * (json_u64); strings are UTF-8 with their escapes decoded.
 */
#ifndef JSON_H
#define JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 64

enum json_node_type {
	JSON_NULL,
	JSON_BOOL,
	JSON_NUMBER,
	JSON_STRING,
	JSON_ARRAY,
	JSON_OBJECT,
};

struct json {
	enum json_node_type type;
	double num; /* JSON_NUMBER, JSON_BOOL (0 or 1) */
	unsigned long long u64; /* JSON_NUMBER: a non-negative integer, */
	bool is_u64; /* exact */
	char *str; /* JSON_STRING */
	char *key; /* member of an object */
	struct json *child; /* first element or member */
	struct json *next; /* next sibling */
};

/* Parse @text; -EINVAL with "offset N: reason" in @err, or -ENOMEM */
int json_parse(const char *text, struct json **out, char *err, size_t errlen);
/* Read and parse a file; -errno when it cannot be read */
int json_parse_file(const char *path, struct json **out, char *err,
		    size_t errlen);

#define JSON_STRICT 0u
/*
 * NaN and Infinity read as numbers: for the files other programs write
 * (Google Benchmark's micro.json, compare.py's -d output), never ours
 */
#define JSON_NONFINITE 1u
int json_parse_file_flags(const char *path, unsigned int flags,
			  struct json **out, char *err, size_t errlen);
void json_free(struct json *j);

/* The member @key of object @j, or NULL */
const struct json *json_get(const struct json *j, const char *key);
/* The number at @key, or @dflt when missing or not a number */
double json_num(const struct json *j, const char *key, double dflt);
/* The non-negative integer at @key, exact, or @dflt */
unsigned long long json_u64(const struct json *j, const char *key,
			    unsigned long long dflt);
/* The string at @key, or @dflt */
const char *json_str(const struct json *j, const char *key, const char *dflt);

/* Write @s as a JSON string literal, escaped */
void json_write_str(FILE *f, const char *s);

#endif /* JSON_H */
