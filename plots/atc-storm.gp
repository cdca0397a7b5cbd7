# atc-storm.gp: one device stops answering ATC invalidations; the upstream
# kernel on QEMU against the series in simulation, one panel each, each on
# its own clock (TCG seconds; the simulation's milliseconds).
#   real: seconds of the workload's window, then per second the SMMU's
#         errors, the kernel's "CMDQ error" reports and its "CMD_SYNC
#         timeout" reports (TSV)
#   sim:  the stress run's events.tsv (fault, timeout, quarantine, reset),
#         over its measured span, smax ms
# gnuplot -e "real='k.tsv'; sim='s-events.tsv'; smax=2000; rttl='...';
#             sttl='...'; out='x'; ttl='...'" atc-storm.gp
load dir.'/style.gp'
set datafile separator "\t"
set datafile commentschars "#"
kinds = "fault timeout quarantine reset"
do for [fmt in "svg png"] {
	eval term(fmt, 1200, 820)
	set output out.".".fmt
	set multiplot layout 2,1 title ttl
	set title rttl
	set key top right
	set xlabel "time since the workload began (s, TCG)"
	set ylabel "per second"
	set yrange [0:*]
	set style fill solid 0.5
	plot real using ($1 + 0.5):2 with boxes lc rgb color(1) \
		title "SMMU: CERROR\\_ATC\\_INV\\_SYNC", \
	     real using ($1 + 0.5):3 with linespoints pt 7 lc rgb color(2) \
		title "kernel: CMDQ error reports", \
	     real using ($1 + 0.5):4 with linespoints pt 5 lc rgb color(3) \
		title "kernel: CMD\\_SYNC timeouts (1 s each)"
	set title sttl
	set xlabel "time since the measurement began (ms, simulation)"
	set xrange [0:smax]
	set key top left
	set ylabel ""
	set yrange [0.5:4.5]
	set ytics ("fault" 1, "ATC timeout" 2, "quarantine" 3, "reset" 4)
	plot for [e=1:words(kinds)] sim \
		using 1:(strcol(2) eq word(kinds, e) ? e : 1/0) every ::1 \
		with points pt (e + 4) ps 1.4 lc rgb color(e + 1) \
		title word(kinds, e)
	unset ytics
	set ytics
	set xrange [*:*]
	unset multiplot
}
