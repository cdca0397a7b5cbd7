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
strategies = "linear bisect bisect-infer adaptive whole-batch"
# Series that coincide (linear and adaptive often do) stay visible: each
# strategy is drawn wider, with bigger points, than the ones drawn over it
lw_of(s) = 1 + 0.9 * (words(strategies) - s)
ps_of(s) = 0.7 + 0.3 * (words(strategies) - s)
timeouts = "50000 1000000 50000000 1000000000"
tnames = "50us 1ms 50ms 1s"
nf = words(tsvs)
sel(t, s, f) = sprintf("< awk -F'\t' '$1 == %s && $3 == %d && $4 == \"%s\"' '%s'", \
	word(timeouts, t), k, word(strategies, s), word(tsvs, f))
lc_of(f, s) = nf > 1 ? color(f) : color(s)
name(f, s) = nf > 1 ? word(titles, f)." ".word(strategies, s) : word(strategies, s)
set logscale x 2
do for [fmt in "svg png"] {
	eval term(fmt, 1600, 960)
	set output out.".".fmt
	# eight panels above, one key for all of them in a strip below
	set multiplot title ttl
	unset key
	do for [row=1:2] {
		do for [t=1:4] {
			set origin (t - 1) * 0.25, 0.14 + (2 - row) * 0.41
			set size 0.25, 0.41
			set title sprintf("ATC timeout %s, k = %d", word(tnames, t), k)
			set xlabel "batch size n (SIDs)"
			if (row == 1) {
				# whole-batch runs no test: time 0 falls off the log axis
				set logscale y
				set ylabel "mean isolation time (ms)"
				plot for [f=1:nf] for [s=1:words(strategies)] sel(t, s, f) \
					using 2:($7 / 1e6) with linespoints lw lw_of(s) \
					ps ps_of(s) lc rgb lc_of(f, s) \
					dt dash(nf > 1 ? s : 1) pt s \
					title name(f, s)
			} else {
				unset logscale y
				set ylabel "innocent devices quarantined (mean)"
				plot for [f=1:nf] for [s=1:words(strategies)] sel(t, s, f) \
					using 2:8 with linespoints lw lw_of(s) \
					ps ps_of(s) lc rgb lc_of(f, s) \
					dt dash(nf > 1 ? s : 1) pt s \
					title name(f, s)
			}
		}
	}
	# the key's strip: the same styles, no data
	set origin 0, 0
	set size 1, 0.13
	unset title
	unset xlabel
	unset ylabel
	unset logscale
	unset border
	unset tics
	unset grid
	set xrange [0:1]
	set yrange [0:1]
	set key center center horizontal maxrows nf font ",9"
	plot for [f=1:nf] for [s=1:words(strategies)] NaN with linespoints \
		lw lw_of(s) ps ps_of(s) lc rgb lc_of(f, s) \
		dt dash(nf > 1 ? s : 1) pt s title name(f, s)
	unset multiplot
	set border
	set tics
	set grid
	set autoscale
	set logscale x 2
}
