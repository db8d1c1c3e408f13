package dev.sett.bench.report;

import java.util.Locale;

/**
 * How the report writes numbers, sizes and ratios, shared by the Markdown ({@link Report},
 * {@link Targets}, {@link TopicSections}) and the chart ({@link SvgChart}), and the one shape of a
 * Markdown table row. A missing figure is always "–". Locale-independent, so the report is the same
 * on every machine.
 */
final class Format {
  private Format() {
  }

  /** Appends one Markdown table row: {@code | a | b | c |} and a newline. Cells are not escaped. */
  static void row(StringBuilder md, String... cells) {
    md.append('|');
    for (String cell : cells) {
      md.append(' ').append(cell).append(" |");
    }
    md.append('\n');
  }

  /** A result's score as {@link #number}; "–" if it was not run. */
  static String score(JmhResult r) {
    return r == null ? "–" : number(r.score());
  }

  /** A result's bytes allocated per operation as {@link #bytes}; "–" if not run or run without -prof gc. */
  static String alloc(JmhResult r) {
    return r == null || Double.isNaN(r.allocPerOp()) ? "–" : bytes(r.allocPerOp());
  }

  /** Three significant digits at most below 1,000; whole numbers with separators above. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  /** Bytes per operation: whole bytes, "0" for JMH's rounding noise below half a byte. */
  static String bytes(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return v < 0.5 ? "0" : String.format(Locale.ROOT, "%,.0f", v);
  }

  /** A measured ratio as "1,000×", "12.5×" or "2.50×". */
  static String ratio(double r) {
    if (Double.isNaN(r)) {
      return "–";
    }
    if (r >= 100) {
      return String.format(Locale.ROOT, "%,.0f×", r);
    }
    if (r >= 10) {
      return String.format(Locale.ROOT, "%.1f×", r);
    }
    return String.format(Locale.ROOT, "%.2f×", r);
  }

  /** A target factor such as 2 or 100, as "2×". */
  static String whole(double factor) {
    return (factor == Math.rint(factor) ? String.format(Locale.ROOT, "%,.0f", factor)
        : String.format(Locale.ROOT, "%s", factor)) + "×";
  }

  /** A size in bytes as "64 KiB", "1 MiB" or "100 B" (the largest unit it is a whole multiple of). */
  static String size(int bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " B";
  }
}
