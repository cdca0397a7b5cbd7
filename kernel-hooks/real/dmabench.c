// SPDX-License-Identifier: GPL-2.0
/*
 * dmabench - atcbench's client of the kernel's DMA map benchmark
 * (CONFIG_DMA_MAP_BENCHMARK, kernel/dma/map_benchmark.c), written from its
 * ioctl ABI (include/uapi/linux/map_benchmark.h): one DMA_MAP_BENCHMARK
 * ioctl on /sys/kernel/debug/dma_map_benchmark, whose device the guest's
 * /init has bound to the dma_map_benchmark driver.  The kernel runs
 * THREADS threads that each map and unmap GRANULE pages in a loop for
 * SECONDS seconds, and returns the mean and standard deviation of the map
 * and unmap latencies in units of 100 ns; this prints them as the kernel's
 * selftest does, in microseconds.
 *
 * Built static for arm64 by run.sh (aarch64-linux-gnu-gcc -static), run in
 * the guest:  dmabench THREADS SECONDS GRANULE
 * Exit status: 0; 1 the ioctl failed (the reason on stderr); 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define DMABENCH_PATH "/sys/kernel/debug/dma_map_benchmark"

/*
 * The ABI's struct map_benchmark, 136 bytes: four u64 results, seven u32
 * parameters (node an s32), then bytes the kernel reserves (7.3 reads the
 * first as map_mode: 0, map single pages); zero-filled
 */
struct dmabench_args {
	uint64_t avg_map_100ns, map_stddev;
	uint64_t avg_unmap_100ns, unmap_stddev;
	uint32_t threads, seconds;
	int32_t node; /* -1: any NUMA node */
	uint32_t dma_bits, dma_dir, dma_trans_ns, granule;
	uint8_t reserved[76];
};

_Static_assert(sizeof(struct dmabench_args) == 136, "the ABI's size");

/* _IOWR('d', 1, struct map_benchmark) */
#define DMABENCH_IOCTL _IOWR('d', 1, struct dmabench_args)
#define DMABENCH_BIDIRECTIONAL 0
#define DMABENCH_MAX_THREADS 1024
#define DMABENCH_MAX_SECONDS 300
#define DMABENCH_MAX_GRANULE 1024

static const char *const dmabench_dirs[] = { "BIDIRECTIONAL", "TO_DEVICE",
					     "FROM_DEVICE" };

static int dmabench_arg(const char *s, unsigned long max, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	struct dmabench_args a = { .node = -1,
				   .dma_bits = 32,
				   .dma_dir = DMABENCH_BIDIRECTIONAL };
	int fd;

	if (argc != 4 ||
	    dmabench_arg(argv[1], DMABENCH_MAX_THREADS, &a.threads) ||
	    dmabench_arg(argv[2], DMABENCH_MAX_SECONDS, &a.seconds) ||
	    dmabench_arg(argv[3], DMABENCH_MAX_GRANULE, &a.granule)) {
		fprintf(stderr,
			"usage: dmabench THREADS SECONDS GRANULE (1..%d, 1..%d, "
			"1..%d)\n",
			DMABENCH_MAX_THREADS, DMABENCH_MAX_SECONDS,
			DMABENCH_MAX_GRANULE);
		return 2;
	}
	fd = open(DMABENCH_PATH, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "dmabench: %s: %s\n", DMABENCH_PATH,
			strerror(errno));
		return 1;
	}
	if (ioctl(fd, DMABENCH_IOCTL, &a)) {
		fprintf(stderr, "dmabench: DMA_MAP_BENCHMARK: %s\n",
			strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	printf("dma mapping benchmark: threads:%u seconds:%u node:%d dir:%s "
	       "granule: %u\n",
	       a.threads, a.seconds, a.node, dmabench_dirs[a.dma_dir],
	       a.granule);
	printf("average map latency(us):%.1f standard deviation:%.1f\n",
	       a.avg_map_100ns / 10.0, a.map_stddev / 10.0);
	printf("average unmap latency(us):%.1f standard deviation:%.1f\n",
	       a.avg_unmap_100ns / 10.0, a.unmap_stddev / 10.0);
	return 0;
}
