// SPDX-License-Identifier: GPL-2.0
/* results: atomic writes of result files (see results.h) */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "results.h"

int results_tmp_path(const char *path, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s.tmp.%ld", path, (long)getpid());

	if (n < 0 || (size_t)n >= len)
		return -ENAMETOOLONG;
	return 0;
}

int results_commit(const char *tmp, const char *path)
{
	int fd = open(tmp, O_RDONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

int results_write_file(const char *path, const void *data, size_t len)
{
	char tmp[RESULTS_PATH_MAX];
	const char *p = data;
	int fd, ret;

	ret = results_tmp_path(path, tmp, sizeof(tmp));
	if (ret)
		return ret;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -errno;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			close(fd);
			unlink(tmp);
			return ret;
		}
		p += n;
		len -= n;
	}
	if (close(fd)) {
		ret = -errno;
		unlink(tmp);
		return ret;
	}
	return results_commit(tmp, path);
}
