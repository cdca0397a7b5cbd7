# scale.gp: atcbench scale's curve, from scale.tsv (columns: cpus,
# ops_per_cpu_s, ops_per_s, p50_ns, p99_ns, reserve_rmws_per_list,
# line_wait_share, published_mainline, published_atomic_add; 0: none).
# Left: operations per CPU per second against CPUs, the model beside the
# published rows (Garry, 2020); right: RMWs per command list on the word
# its space is taken on (the lock-free queue's cmpxchg attempts)
# and the latency percentiles.  Every model figure is modelled time.
# gnuplot -e "dir='plots'; tsv='scale.tsv'; out='x'; ttl='...'" scale.gp
load dir.'/style.gp'
set datafile separator "\t"
set logscale x 2
set xlabel "CPUs"
set xtics (1, 2, 4, 8, 16, 32, 64, 96, 128, 256)
do for [fmt in "svg png"] {
	eval term(fmt, 1100, 480)
	set output out.".".fmt
	set multiplot layout 1,2 title ttl
	set logscale y 10
	set key top right
	set ylabel "map+unmap per CPU per second"
	set format y "%.0s%c"
	plot tsv using 1:2 with linespoints lw 2 pt 7 lc rgb color(1) \
		title "model (modelled time)", \
	     tsv using 1:($8 > 0 ? $8 : 1/0) with linespoints lw 2 pt 5 \
		dt 2 lc rgb color(2) title "published, mainline v5.9-rc1", \
	     tsv using 1:($9 > 0 ? $9 : 1/0) with linespoints lw 2 pt 4 \
		dt 3 lc rgb color(3) title "published, prod by atomic add"
	set key top left
	set ylabel "RMWs per list to take space; latency (us)"
	set format y "%g"
	plot tsv using 1:6 with linespoints lw 2 pt 7 lc rgb color(4) \
		title "RMWs per list to take space (cmpxchg attempts)", \
	     tsv using 1:($4 / 1000) with linespoints lw 2 pt 5 \
		lc rgb color(5) title "p50 latency (us)", \
	     tsv using 1:($5 / 1000) with linespoints lw 2 pt 4 dt 2 \
		lc rgb color(5) title "p99 latency (us)"
	unset multiplot
}
