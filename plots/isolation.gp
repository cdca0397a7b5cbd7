# isolation.gp: mean isolation time and innocent devices quarantined versus
# the batch size n, per strategy, one panel per timeout, from isolate.tsv
# (k faulty devices; columns: timeout_ns n k strategy syncs timeouts time_ns
# innocent_broken ...).
# gnuplot -e "tsv='isolate.tsv'; k=1; out='x'; ttl='...'" isolation.gp
# (whole-batch runs no test: its time is 0 and falls off the log axis)
set datafile separator "\t"
set key top left noenhanced
strategies = "linear bisect bisect-infer adaptive whole-batch"
timeouts = "50000 1000000 50000000 1000000000"
tnames = "50us 1ms 50ms 1s"
set logscale x 2
set grid
do for [fmt in "svg png"] {
	if (fmt eq "svg") {
		set terminal svg size 1200,900 dynamic noenhanced
	} else {
		set terminal pngcairo size 1200,900 noenhanced
	}
	set output out.".".fmt
	set multiplot layout 2,2 title ttl noenhanced
	do for [t=1:4] {
		set title sprintf("ATC timeout %s, k = %d", word(tnames, t), k)
		set xlabel "batch size n (SIDs)"
		set ylabel "mean isolation time (ms)"
		set logscale y
		plot for [s=1:words(strategies)] \
			sprintf("< awk -F'\t' '$1 == %s && $3 == %d && $4 == \"%s\"' '%s'", \
				word(timeouts, t), k, word(strategies, s), tsv) \
			using 2:($7 / 1e6) with linespoints lw 2 lt s \
			title word(strategies, s)
	}
	unset multiplot
}
