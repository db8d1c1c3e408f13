package dev.sett.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's chart as one SVG document, two panels: point-read time by value size for the
 * copying read and the two zero-copy paths (log scale), and Sett against its peers for random reads
 * (1 and 2 threads) and overwrites (linear scale per group). Plain SVG 1.1, no scripts or external
 * fonts, so it renders on GitHub and in any browser.
 */
final class SvgChart {
  private static final int WIDTH = 980;
  private static final String FONT = "font-family=\"sans-serif\"";
  private static final String[] SERIES_COLORS = {"#d95f02", "#1b9e77", "#7570b3"};
  private static final String SETT_COLOR = "#1b9e77";
  private static final String PEER_COLOR = "#999999";

  private final Report report;
  private final StringBuilder svg = new StringBuilder();

  SvgChart(Report report) {
    this.report = report;
  }

  String render(String title) {
    StringBuilder body = new StringBuilder();
    int y = 40;
    y = valueSizePanel(body, y);
    y = peerPanel(body, y + 30);
    int height = y + 20;
    svg.setLength(0);
    svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(WIDTH)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
        .append(height).append("\">\n");
    svg.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height)
        .append("\" fill=\"#ffffff\"/>\n");
    text(svg, 20, 26, 18, "start", "bold", title);
    svg.append(body);
    svg.append("</svg>\n");
    return svg.toString();
  }

  // ---- panel 1: zero-copy vs copy by value size ----------------------------------------------------

  private int valueSizePanel(StringBuilder out, int top) {
    text(out, 20, top + 14, 14, "start", "bold",
        "Point read by value size: copying get vs zero-copy (ns per read, log scale, lower is better)");
    List<Integer> sizes = report.valueSizes(Report.VALUE_READ);
    String[] methods = {"copyGet", "snapshotView", "callbackReadLong"};
    String[] labels = {"get (copy)", "snapshot view", "readLong callback"};
    int plotTop = top + 50;
    int plotBottom = plotTop + 240;
    int left = 80;
    int right = WIDTH - 20;
    if (sizes.isEmpty()) {
      text(out, left, plotTop + 20, 12, "start", "normal", "ValueReadBenchmark was not run.");
      return plotTop + 40;
    }
    double min = Double.MAX_VALUE;
    double max = 0;
    for (int size : sizes) {
      for (String m : methods) {
        JmhResult r = report.find(Report.VALUE_READ, m, 1, "valueSize=" + size);
        if (r != null && r.score() > 0) {
          min = Math.min(min, r.score());
          max = Math.max(max, r.score());
        }
      }
    }
    if (max == 0) {
      min = 1;
      max = 10;
    }
    // Half a decade of room below the smallest bar, so that it never sits on the axis.
    int lo = (int) Math.floor(Math.log10(min / 2));
    int hi = (int) Math.ceil(Math.log10(max));
    if (hi == lo) {
      hi++;
    }
    final int decadesLo = lo;
    final int decadesHi = hi;
    java.util.function.DoubleUnaryOperator yOf = v ->
        plotBottom - (Math.log10(v) - decadesLo) / (decadesHi - decadesLo) * (plotBottom - plotTop);
    // grid
    for (int d = lo; d <= hi; d++) {
      double y = yOf.applyAsDouble(Math.pow(10, d));
      line(out, left, y, right, y, "#dddddd");
      text(out, left - 6, y + 4, 11, "end", "normal", decadeLabel(d));
    }
    line(out, left, plotBottom, right, plotBottom, "#333333");
    // legend
    for (int i = 0; i < labels.length; i++) {
      int lx = left + i * 170;
      rect(out, lx, top + 24, 12, 12, SERIES_COLORS[i]);
      text(out, lx + 17, top + 34, 12, "start", "normal", labels[i]);
    }
    double groupWidth = (double) (right - left) / sizes.size();
    double barWidth = Math.min(40, (groupWidth - 20) / methods.length);
    for (int g = 0; g < sizes.size(); g++) {
      int size = sizes.get(g);
      double gx = left + g * groupWidth + (groupWidth - barWidth * methods.length) / 2;
      JmhResult copy = null;
      JmhResult view = null;
      for (int i = 0; i < methods.length; i++) {
        JmhResult r = report.find(Report.VALUE_READ, methods[i], 1, "valueSize=" + size);
        if (i == 0) {
          copy = r;
        } else if (i == 1) {
          view = r;
        }
        double x = gx + i * barWidth;
        if (r == null || r.score() <= 0) {
          text(out, x + barWidth / 2, plotBottom - 4, 10, "middle", "normal", "n/a");
          continue;
        }
        double y = Math.max(plotTop, yOf.applyAsDouble(r.score()));
        rect(out, x + 1, y, barWidth - 2, plotBottom - y, SERIES_COLORS[i]);
        text(out, x + barWidth / 2, y - 4, 10, "middle", "normal", Format.number(r.score()));
      }
      double cx = left + g * groupWidth + groupWidth / 2;
      text(out, cx, plotBottom + 18, 12, "middle", "bold", Format.size(size));
      double ratio = Report.faster(view, copy);
      if (!Double.isNaN(ratio)) {
        text(out, cx, plotBottom + 34, 11, "middle", "normal", "copy/view " + Format.ratio(ratio));
      }
    }
    return plotBottom + 40;
  }

  private static String decadeLabel(int d) {
    String[] units = {"ns", "µs", "ms", "s"};
    if (d < 0) {
      return String.format(Locale.ROOT, "%s ns", Math.pow(10, d));
    }
    int unit = Math.min(d / 3, units.length - 1);
    long v = (long) Math.pow(10, d - unit * 3);
    return v + " " + units[unit];
  }

  // ---- panel 2: Sett vs peers --------------------------------------------------------------------------

  private int peerPanel(StringBuilder out, int top) {
    text(out, 20, top + 14, 14, "start", "bold",
        "Sett vs peers, 1M × 100 B in page cache (ns per operation, lower is better)");
    int y = top + 30;
    y = barGroup(out, y, "Random point reads, 1 thread", Report.PEER_READ, Report.PEER_READS, 1);
    y = barGroup(out, y, "Random point reads, 2 threads (per thread)", Report.PEER_READ, Report.PEER_READS, 2);
    y = barGroup(out, y, "Random overwrites, no sync, 1 thread", Report.PEER_WRITE, Report.PEER_WRITES, 1);
    return y;
  }

  private int barGroup(StringBuilder out, int top, String title, String className, String[][] rows, int threads) {
    List<JmhResult> found = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    double max = 0;
    for (String[] row : rows) {
      JmhResult r = report.find(className, row[0], threads);
      if (r != null && r.score() > 0) {
        found.add(r);
        labels.add(row[1].replace("`", ""));
        max = Math.max(max, r.score());
      }
    }
    text(out, 20, top + 16, 13, "start", "bold", title);
    int y = top + 24;
    if (found.isEmpty()) {
      text(out, 40, y + 14, 12, "start", "normal", "not measured");
      return y + 30;
    }
    int labelRight = 470;
    int barLeft = 480;
    int barMax = WIDTH - 100 - barLeft;
    int rowHeight = 20;
    for (int i = 0; i < found.size(); i++) {
      JmhResult r = found.get(i);
      double w = Math.max(1, r.score() / max * barMax);
      double ry = y + i * rowHeight;
      String label = labels.get(i);
      if (label.length() > 70) {
        label = label.substring(0, 67) + "...";
      }
      text(out, labelRight, ry + 14, 11, "end", "normal", label);
      rect(out, barLeft, ry + 3, w, rowHeight - 6, r.method().startsWith("sett") ? SETT_COLOR : PEER_COLOR);
      text(out, barLeft + w + 5, ry + 14, 11, "start", "normal", Format.number(r.score()) + " ns");
    }
    return y + found.size() * rowHeight + 12;
  }

  // ---- SVG primitives ----------------------------------------------------------------------------------

  private static void rect(StringBuilder out, double x, double y, double w, double h, String fill) {
    out.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(w))
        .append("\" height=\"").append(f(h)).append("\" fill=\"").append(fill).append("\"/>\n");
  }

  private static void line(StringBuilder out, double x1, double y1, double x2, double y2, String stroke) {
    out.append("<line x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1)).append("\" x2=\"").append(f(x2))
        .append("\" y2=\"").append(f(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"1\"/>\n");
  }

  private static void text(StringBuilder out, double x, double y, int size, String anchor, String weight, String s) {
    out.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" ").append(FONT)
        .append(" font-size=\"").append(size).append("\" text-anchor=\"").append(anchor)
        .append("\" font-weight=\"").append(weight).append("\" fill=\"#222222\">").append(escape(s))
        .append("</text>\n");
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
