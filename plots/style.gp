# style.gp: what every plot shares (loaded by the others).  One colour per
# results folder (ref) in every plot when several are overlaid: the first
# (base) blue, the second (head) red; with one folder the colours go to the
# series.  Text is never "enhanced": names keep their underscores.
colors = "#1f77b4 #d62728 #2ca02c #ff7f0e #9467bd #8c564b #17becf #7f7f7f"
color(i) = word(colors, (i - 1) % words(colors) + 1)
# A dash pattern per series within a colour: solid, then seven patterns
# that stay apart (gnuplot's numbered dash types repeat after 5, so its
# type 6 is type 1 again); "" draws solid
dash_pats = "- . -. -.. _. __ .._"
dash(i) = ((i - 1) % 8 == 0) ? "" : word(dash_pats, (i - 1) % 8)
set termoption noenhanced
set key noenhanced
set grid
term(fmt, w, h) = fmt eq "svg" ? \
	sprintf("set terminal svg size %d,%d dynamic noenhanced font 'sans,11'", w, h) : \
	sprintf("set terminal pngcairo size %d,%d noenhanced font 'sans,10'", w, h)
