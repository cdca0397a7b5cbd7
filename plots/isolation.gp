# isolation.gp: mean isolation time (top row) and innocent devices
# quarantined (bottom row) versus the batch size n, per strategy, one column
# per ATC timeout, from isolate.tsv files (columns: timeout_ns n k strategy
# syncs timeouts time_ns innocent_broken ...), k faulty devices.
# gnuplot -e "tsvs='a.tsv b.tsv'; titles='base head'; k=1; out='x';
#             ttl='...'" isolation.gp
# One folder: a colour per strategy.  Several: a colour per folder, a dash
# and point type per strategy.
load dir.'/style.gp'
set datafile separator "\t"
set key top left font ",8"
strategies = "linear bisect bisect-infer adaptive whole-batch"
timeouts = "50000 1000000 50000000 1000000000"
tnames = "50us 1ms 50ms 1s"
nf = words(tsvs)
sel(t, s, f) = sprintf("< awk -F'\t' '$1 == %s && $3 == %d && $4 == \"%s\"' '%s'", \
	word(timeouts, t), k, word(strategies, s), word(tsvs, f))
lc_of(f, s) = nf > 1 ? color(f) : color(s)
name(f, s) = nf > 1 ? word(titles, f)." ".word(strategies, s) : word(strategies, s)
set logscale x 2
do for [fmt in "svg png"] {
	eval term(fmt, 1600, 900)
	set output out.".".fmt
	set multiplot layout 2,4 title ttl
	do for [row=1:2] {
		do for [t=1:4] {
			set title sprintf("ATC timeout %s, k = %d", word(tnames, t), k)
			set xlabel "batch size n (SIDs)"
			if (row == 1) {
				# whole-batch runs no test: time 0 falls off the log axis
				set logscale y
				set ylabel "mean isolation time (ms)"
				plot for [f=1:nf] for [s=1:words(strategies)] sel(t, s, f) \
					using 2:($7 / 1e6) with linespoints lw 2 \
					lc rgb lc_of(f, s) dt int(nf > 1 ? s : 1) pt s \
					title name(f, s)
			} else {
				unset logscale y
				set ylabel "innocent devices quarantined (mean)"
				plot for [f=1:nf] for [s=1:words(strategies)] sel(t, s, f) \
					using 2:8 with linespoints lw 2 \
					lc rgb lc_of(f, s) dt int(nf > 1 ? s : 1) pt s \
					title name(f, s)
			}
		}
	}
	unset multiplot
}
