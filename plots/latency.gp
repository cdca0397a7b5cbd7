# latency.gp: latency percentile distributions on a 1/(1-p) axis, the
# HdrHistogram convention, from .hgrm files (values in microseconds).
# gnuplot -e "files='a.hgrm b.hgrm'; titles='a b'; out='x'; ttl='...'" latency.gp
# writes x.svg and x.png.  Each curve keeps its colour (linetype i) in both.
set datafile commentschars "#"
set key top left noenhanced
set title ttl noenhanced
set logscale x
set logscale y
set xrange [1:1e6]
set xtics ("0%%" 1, "90%%" 10, "99%%" 100, "99.9%%" 1000, "99.99%%" 1e4, \
	"99.999%%" 1e5, "99.9999%%" 1e6)
set xlabel "percentile" noenhanced
set ylabel "latency (us)" noenhanced
set grid
do for [fmt in "svg png"] {
	if (fmt eq "svg") {
		set terminal svg size 900,520 dynamic noenhanced
	} else {
		set terminal pngcairo size 900,520 noenhanced
	}
	set output out.".".fmt
	plot for [i=1:words(files)] word(files, i) \
		using (($4 > 0 && $4 < 1e300) ? $4 : 1/0):1 \
		with steps lw 2 lt i title word(titles, i)
}
