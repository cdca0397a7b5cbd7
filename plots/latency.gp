# latency.gp: latency percentile distributions on a 1/(1-p) axis (the
# HdrHistogram convention), or CDFs (cdf=1: latency across, the fraction at
# or below up the same 1/(1-p) axis), from .hgrm files (microseconds).
# gnuplot -e "files='a.hgrm b.hgrm'; titles='a b'; colors_of='1 2';
#             dashes='1 1'; cdf=0; out='x'; ttl='...'[; foot='...']" latency.gp
# writes x.svg and x.png; curve i has colour colors_of[i] and dash type
# dashes[i] (plot.sh: colour = folder, dash = metric, when overlaid).
load dir.'/style.gp'
set datafile commentschars "#"
# the key under the plot, in columns: it never covers a curve
set key outside bottom center maxrows 4
set bmargin 9
set title ttl
# foot (optional): a line at the bottom right, what made the plot
if (exists("foot")) {
	set label 99 foot at screen 0.99, 0.015 right font ",9" tc rgb "#555555"
}
set logscale y
if (cdf) {
	# The fraction at or below on the same tail-revealing axis, 1/(1-F):
	# the top 2 % is most of the height, not a sliver along the top edge;
	# the slowest operation (F = 1) sits on the top edge
	set logscale x
	set yrange [1:1e6]
	set ytics ("0%%" 1, "90%%" 10, "99%%" 100, "99.9%%" 1000, \
		"99.99%%" 1e4, "99.999%%" 1e5, "100%%" 1e6)
	set xlabel "latency (us)"
	set ylabel "operations at or below (tail-revealing axis)"
} else {
	set logscale x
	set xrange [1:1e6]
	set xtics ("0%%" 1, "90%%" 10, "99%%" 100, "99.9%%" 1000, "99.99%%" 1e4, \
		"99.999%%" 1e5, "99.9999%%" 1e6)
	set xlabel "percentile" offset 0,0.5
	set ylabel "latency (us)"
}
do for [fmt in "svg png"] {
	eval term(fmt, 900, 600)
	set output out.".".fmt
	if (cdf) {
		plot for [i=1:words(files)] word(files, i) \
			using 1:($2 < 1 ? 1 / (1 - $2) : 1e6) \
			with steps lw 2 lc rgb color(int(word(colors_of, i))) \
			dt dash(int(word(dashes, i))) title word(titles, i)
	} else {
		plot for [i=1:words(files)] word(files, i) \
			using (($4 > 0 && $4 < 1e300) ? $4 : 1/0):1 \
			with steps lw 2 lc rgb color(int(word(colors_of, i))) \
			dt dash(int(word(dashes, i))) title word(titles, i)
	}
}
