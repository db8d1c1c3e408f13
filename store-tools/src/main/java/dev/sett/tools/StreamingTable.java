package dev.sett.tools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TextTable} printed while its rows arrive, for output too long to hold in memory: the
 * first rows (up to a buffer's worth) set the column widths, and later rows are printed at once
 * with those widths (a wider cell pushes the rest of its row to the right). Not thread-safe.
 */
final class StreamingTable {
  private final PrintWriter out;
  private final String indent;
  private final String align;
  private final String[] header;
  private final int bufferRows;
  private final List<String[]> pending = new ArrayList<>();
  private int[] width;

  /**
   * @param align as for {@link TextTable#TextTable(String)}
   * @param bufferRows rows held back to measure the columns before the first line is printed
   */
  StreamingTable(PrintWriter out, String indent, String align, int bufferRows, String... header) {
    this.out = out;
    this.indent = indent;
    this.align = align;
    this.bufferRows = bufferRows;
    this.header = header;
  }

  void row(String... cells) {
    if (width != null) {
      out.println(TextTable.line(indent, cells, width, align));
      return;
    }
    pending.add(cells);
    if (pending.size() >= bufferRows) {
      printPending();
    }
  }

  /** Prints the rows still held back; prints nothing (not even the header) if there were none. */
  void finish() {
    if (width == null && !pending.isEmpty()) {
      printPending();
    }
  }

  private void printPending() {
    width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
    }
    for (String[] r : pending) {
      for (int i = 0; i < Math.min(r.length, width.length); i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    out.println(TextTable.line(indent, header, width, align));
    String[] rule = new String[header.length];
    for (int i = 0; i < header.length; i++) {
      rule[i] = "-".repeat(width[i]);
    }
    out.println(TextTable.line(indent, rule, width, align));
    for (String[] r : pending) {
      out.println(TextTable.line(indent, r, width, align));
    }
    pending.clear();
  }
}
